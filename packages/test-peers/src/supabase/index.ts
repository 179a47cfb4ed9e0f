// Fakes of the Supabase services the adapter talks to (GoTrue, Realtime, Storage API), each an
// HTTP server on a free 127.0.0.1 port. Only node:* , jose and ws: no database, no Redis, no s3rver.
export { type FakeGoTrue, type FakeGoTrueOptions, type SentEmail, startFakeGoTrue } from './gotrue.js';
export { type FakeServer, type Fault, type Handler, readBody, readJson, sendJson, startFakeServer } from './http.js';
export { FakeRealtime, type FakeRealtimeOptions } from './realtime-server.js';
export {
  decodeText,
  decodeUserBroadcastPush,
  encodeText,
  encodeUserBroadcast,
  type UserBroadcastPush,
  type Vsn,
  type WireMessage,
} from './realtime-wire.js';
export { type FakeStorage, type FakeStorageOptions, startFakeStorage } from './storage-api.js';
