import { describePubSubPort } from '@switchyard/contract-tests';
import { createLocalPubSub, LocalBroker, type LocalPubSubPort } from '@switchyard/local';

describePubSubPort('LocalPubSub', async () => {
  const broker = new LocalBroker();
  const port = await createLocalPubSub({ broker });
  return {
    port,
    harness: {
      connect: async () => createLocalPubSub({ broker }),
      openConnections: async (p) => (p as LocalPubSubPort).openListeners(),
    },
    teardown: () => port.close(),
  };
});
