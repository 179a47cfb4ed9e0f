import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeBucket, FakeObject, FakeStore } from './storage-api-store.js';
import type { SignedTokens } from './storage-api-tokens.js';

export type Caller = 'service' | 'anonymous';

/** Methods (`GET|HEAD`), a pattern for the path under `/storage/v1`, and the handler, given the pattern's decoded groups. */
export type Route = [
  method: string,
  pattern: RegExp,
  handle: (req: IncomingMessage, res: ServerResponse, match: string[], url: URL) => Promise<void>,
];

/** What the routes of one fake share. */
export interface RouteContext {
  store: FakeStore;
  tokens: SignedTokens;
  /** Seconds a signed upload URL lives. */
  uploadTtl: number;
  caller(req: IncomingMessage, required: boolean): Caller;
  readable(id: string, who: Caller): FakeBucket;
  upload(req: IncomingMessage, bucket: FakeBucket, key: string, upsert: boolean): Promise<FakeObject>;
}
