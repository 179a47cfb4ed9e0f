import type { PortName } from '../errors.js';
import { printsAs } from '../redact.js';
import { type DualContext, dualContext, type ShadowOptions } from './shadow.js';

/**
 * What every composite over two providers holds: its two sides, the joined provider name
 * (`primary+shadow`) and the context its shadow calls share.
 */
export abstract class DualSides<P extends { provider: string }> {
  readonly provider: string;
  readonly primary: P;
  readonly shadow: P;
  protected readonly context: DualContext;

  constructor(port: PortName, options: ShadowOptions & { primary: P; shadow: P }) {
    const { primary, shadow } = options;
    this.primary = primary;
    this.shadow = shadow;
    this.provider = `${primary.provider}+${shadow.provider}`;
    this.context = dualContext(port, options, options);
    // Its sides hold credentials: printing it shows which providers it joins, nothing more.
    printsAs(this, { provider: this.provider, primary: primary.provider, shadow: shadow.provider });
  }
}
