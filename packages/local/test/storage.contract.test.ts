import { describeStoragePort } from '@switchyard/contract-tests';
import { startLocalStorage } from './storage-server.js';

describeStoragePort('LocalStorage', async () => {
  const { storage, stop } = await startLocalStorage();
  return { port: storage, harness: undefined, teardown: stop };
});

describeStoragePort('LocalStorage with publicRead', async () => {
  const { storage, stop } = await startLocalStorage({ publicRead: true });
  return { port: storage, harness: undefined, teardown: stop };
});
