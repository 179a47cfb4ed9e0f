/**
 * `@switchyard/core/adapter/descriptor`: what an adapter's descriptor for `createProviders` is
 * built with (settings read from the environment, the descriptor type), apart from its factory.
 */
export { type AdapterContext, type AdapterDescriptor, describeAdapter, settingDocs } from './adapter/descriptor.js';
export type { ExtraKey } from './adapter/extras.js';
export {
  definedOptions,
  readSettings,
  type Setting,
  type SettingDoc,
  type Settings,
  type SettingValues,
  setting,
} from './adapter/settings.js';
export type { PortName } from './errors.js';
export type { ConfigProblem, ReadMode } from './providers/config.js';
export { configError } from './providers/config-error.js';
export { type Env, EnvReader } from './providers/variables.js';
