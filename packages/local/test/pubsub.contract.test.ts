import { describePubSubPort } from '@switchyard/contract-tests';
import { createLocalPubSub, LocalBroker, type LocalPubSub } from '@switchyard/local';

describePubSubPort('LocalPubSub', async () => {
  const broker = new LocalBroker();
  const port = createLocalPubSub({ broker });
  return {
    port,
    harness: {
      connect: async () => createLocalPubSub({ broker }),
      openConnections: async (p) => (p as LocalPubSub).openListeners(),
    },
    teardown: () => port.close(),
  };
});
