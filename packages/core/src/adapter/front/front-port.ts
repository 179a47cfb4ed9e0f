import type { PortName } from '../../errors.js';
import type { OnEvent } from '../../events.js';
import { printsAs } from '../../redact.js';
import type { FrontOptions } from './storage.js';
import { frontCall } from './unknown-error.js';

/**
 * What the front of a port holds whatever the port: the provider's name, the driver's
 * capabilities, the meta every call's operation event carries, and printing without secrets.
 */
export abstract class FrontPort<P extends PortName, C> {
  readonly provider: string;
  readonly capabilities: C;
  protected readonly meta: { port: P; provider: string; onEvent: OnEvent | undefined };

  constructor(port: P, capabilities: C, options: FrontOptions) {
    this.provider = options.provider;
    this.capabilities = capabilities;
    this.meta = { port, provider: options.provider, onEvent: options.onEvent };
    printsAs(this, { provider: options.provider, port, ...options.summary });
  }

  /** One port call: its operation event, and an unknown throw wrapped (see frontCall). */
  protected run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return frontCall(this.meta, operation, call);
  }
}
