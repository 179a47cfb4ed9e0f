import { Metrics } from '@aws-lambda-powertools/metrics';
import { createProviders, type Providers } from '@switchyard/core';
import { createCloudWatchMetrics } from '@switchyard/otel/cloudwatch';
import { migrate } from 'community-app/shared';
import { JOB_PORTS } from './infra/provider-environment.js';

let opened: Promise<Providers> | undefined;

/**
 * The ports' metrics (durations, errors, and divergences while the database runs dual) as CloudWatch
 * Embedded Metric Format: the handler publishes them before it returns, and CloudWatch Logs turns
 * the lines into metrics, with no collector in the function. Namespace and service are Powertools'
 * own variables when set.
 */
export const cloudwatch = createCloudWatchMetrics({
  metrics: new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Switchyard',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'matching-job',
  }),
});

/**
 * The ports, opened once per process: in Lambda, once per execution environment, outside any one
 * invocation, so warm invocations reuse the pool and connections. The schema is brought up to
 * date at the same time (the app does the same at its start; a lock keeps them from racing). A
 * failed opening is forgotten, so the next invocation tries again instead of failing for good.
 */
export function sharedProviders(env: Readonly<Record<string, string | undefined>> = process.env): Promise<Providers> {
  opened ??= (async () => {
    const providers = await createProviders({ env, ports: JOB_PORTS, onEvent: cloudwatch.onEvent });
    try {
      await migrate(providers.db);
      return providers;
    } catch (error) {
      await providers.close();
      throw error;
    }
  })().catch((error: unknown) => {
    opened = undefined;
    throw error;
  });
  return opened;
}

/** Closes the shared ports (the local runner's exit; Lambda simply freezes the environment). */
export async function closeSharedProviders(): Promise<void> {
  const current = opened;
  opened = undefined;
  if (current) await (await current.catch(() => undefined))?.close();
}
