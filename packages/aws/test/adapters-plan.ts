import { type AdapterDescriptor, EnvReader, readSettings, type Settings } from '@switchyard/core/adapter';

/**
 * What `planProviders` does with one descriptor (core does not export it yet): read its settings,
 * build its options, list its peers and issuer, and collect every problem.
 */
export function plan<S extends Settings, O, P>(descriptor: AdapterDescriptor<S, O, P>, env: Record<string, string>) {
  const reader = new EnvReader(env);
  const options = descriptor.options(readSettings(descriptor.settings, reader), reader);
  return {
    options,
    problems: reader.problems,
    peers: descriptor.peers(options),
    issuer: descriptor.issuer?.(options),
    variables: (problems = reader.problems) => problems.map((p) => p.variable),
  };
}

/** The variables a descriptor marks secret. */
export function secrets(descriptor: Pick<AdapterDescriptor, 'settings'>): string[] {
  return Object.values(descriptor.settings)
    .filter((s) => s.secret)
    .map((s) => s.variable)
    .sort();
}
