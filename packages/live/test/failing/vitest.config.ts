import { defineConfig } from 'vitest/config';
import live from '../../../../vitest.live.config.js';

// A live run whose cases fail after writing, for scripts/live-on-peers.mjs to check that nothing
// carrying the prefix survives a failing run. Not part of any tier's include.
export default defineConfig({ ...live, test: { ...live.test, include: ['packages/live/test/failing/*.live.test.ts'] } });
