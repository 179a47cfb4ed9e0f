import { deleteKeys, deleteObjects, deleteUsers, dropTables } from './cleanup.js';
import { openAuth, openDb, openStorage } from './open.js';
import type { LiveTarget } from './targets/index.js';

/**
 * Removes everything on a target that carries the live prefix: what this run's suites could not
 * clean (a crash, a timeout) and what earlier runs left. Returns a line for the summary.
 */
export async function sweep(target: LiveTarget, prefix: string): Promise<string> {
  switch (target.port) {
    case 'storage': {
      const port = await openStorage(target);
      try {
        return `${target.name}: ${await deleteObjects(port, prefix)} leftover objects under ${prefix} deleted`;
      } finally {
        await port.close();
      }
    }
    case 'auth': {
      const port = await openAuth(target);
      try {
        return `${target.name}: ${await deleteUsers(port, prefix)} leftover users whose email starts with ${prefix} deleted`;
      } finally {
        await port.close();
      }
    }
    case 'db': {
      const port = await openDb(target, 1);
      try {
        const dropped = await dropTables(port, prefix);
        return `${target.name}: ${dropped.length} leftover tables named ${prefix}… dropped`;
      } finally {
        await port.close();
      }
    }
    case 'pubsub': {
      if (target.name === 'supabase-realtime') return `${target.name}: nothing to sweep (broadcasts are not stored)`;
      const { url, keyPrefix } = target.options;
      return `${target.name}: ${await deleteKeys(url, keyPrefix, prefix)} leftover Redis keys under ${keyPrefix}…${prefix}… deleted`;
    }
  }
}
