import type { DivergenceEvent, SwitchyardEvent } from '@switchyard/core';

/** Collects the divergence events a composite reports. */
export class Divergences {
  readonly events: DivergenceEvent[] = [];
  readonly onEvent = (event: SwitchyardEvent): void => {
    if (event.type === 'divergence') this.events.push(event);
  };

  about(key: string): DivergenceEvent[] {
    return this.events.filter((event) => event.key === key);
  }

  clear(): void {
    this.events.length = 0;
  }
}
