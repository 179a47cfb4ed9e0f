import type { StoragePort } from '@switchyard/core/adapter';
import { randomId } from '../random.js';

/** What each group of storage cases shares: the port and a key factory under the run's prefix. */
export interface StorageSuiteContext {
  port(): StoragePort;
  /** A fresh key under this run's prefix. */
  key(name?: string): string;
  /** A fresh folder (ending in "/") under this run's prefix. */
  folder(): string;
}

export function storageContext(port: () => StoragePort, runPrefix: string): StorageSuiteContext {
  return {
    port,
    key: (name = 'object.bin') => `${runPrefix}${randomId()}/${name}`,
    folder: () => `${runPrefix}${randomId()}/`,
  };
}
