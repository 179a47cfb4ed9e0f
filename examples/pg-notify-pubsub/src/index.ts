import { describeAdapter, setting } from '@switchyard/core/adapter';

export type { PgNotifyOptions, PgNotifyPubSub } from './pg-notify.js';

/**
 * What `SWITCHYARD_PUBSUB=@acme/switchyard-pg-notify` loads: the settings this adapter reads and
 * how to open it. `createProviders` finds it as this package's `adapter` export.
 */
export const adapter = describeAdapter({
  name: 'pg-notify',
  port: 'pubsub',
  module: '@acme/switchyard-pg-notify',
  description: 'Pub/sub on PostgreSQL LISTEN/NOTIFY (messages up to 7,000 bytes, no patterns).',
  settings: {
    url: setting.url('PG_NOTIFY_URL', ['postgres:', 'postgresql:'], {
      description: 'the PostgreSQL every app instance reaches',
      example: 'postgres://app:password@db.internal:5432/app',
      required: true,
      secret: true,
    }),
    timeoutMs: setting.integer(
      'PG_NOTIFY_TIMEOUT_MS',
      { min: 1, max: 600_000 },
      {
        description: 'milliseconds to wait for a connection or a NOTIFY',
        example: '5000',
        default: '5000',
      },
    ),
  },
  options: (values) => ({ url: values.url ?? '', ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}) }),
  peers: () => ['pg'],
  async create(options, context) {
    const { createPgNotifyPubSub } = await import('./pg-notify.js');
    return createPgNotifyPubSub({ ...options, onEvent: context.onEvent });
  },
});
