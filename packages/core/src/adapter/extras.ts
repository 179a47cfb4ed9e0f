/**
 * A typed name for something an adapter offers beside its port (the local storage's HTTP handler,
 * the local auth's dev mailbox). The adapter exports the key; the app reads the value from
 * `providers.extra(key)`, typed, without duck typing.
 */
export interface ExtraKey<T> {
  readonly name: string;
  /** Carries the type only. */
  readonly __type?: T;
}

export function extraKey<T>(name: string): ExtraKey<T> {
  return Object.freeze({ name });
}

/** Where adapters put their extras while `createProviders` opens them. */
export class Extras {
  private readonly values = new Map<string, unknown>();

  provide<T>(key: ExtraKey<T>, value: T): void {
    this.values.set(key.name, value);
  }

  get<T>(key: ExtraKey<T>): T | undefined {
    return this.values.get(key.name) as T | undefined;
  }
}
