import type { PortName } from '../errors.js';

/** A key whose two sides may differ, waiting for `repair()`. */
export interface RepairEntry {
  port: PortName;
  key: string;
  /** The operation that left the sides apart, for example `put` or `delete`. */
  operation: string;
  /** A short, secret-free description of why. */
  reason: string;
  recordedAt: Date;
  /** Failed repair attempts so far. */
  attempts: number;
  /** Bumped each time the key is recorded again, so a repair never clears a newer record. */
  version: number;
  /** Keep the entry at least until then even if the sides agree (a signed upload may still arrive). */
  keepUntil?: Date | undefined;
  /**
   * The side that was primary when the key was recorded: its label, by default its provider
   * (`supabase`, `aws`, `local`). A journal that outlives a deployment (`DbJournal`) is replayed
   * after the roles swap, and the operation happened at that side.
   */
  primary: string;
}

export type RepairRecord = Pick<RepairEntry, 'port' | 'key' | 'operation' | 'reason' | 'keepUntil' | 'primary'>;

/**
 * Where dual-run keeps what it must reconcile. Repair works from state, not from a log of operations:
 * for each key it makes the other side equal the side that was primary when the key was recorded,
 * so one entry per key is enough.
 */
export interface RepairJournal {
  /** Creates what the journal needs (a table) before first use; `createProviders` calls it at start. */
  install?(): Promise<void>;
  /** Records that `key` may differ; recording a key already pending replaces it (primary included) and bumps its version. */
  record(entry: RepairRecord): Promise<void>;
  /** Up to `limit` pending entries of `port`, oldest first. */
  pending(port: PortName, limit: number): Promise<RepairEntry[]>;
  /** Removes the entry, unless it was recorded again after `entry` was read. */
  resolve(entry: RepairEntry): Promise<void>;
  /** Counts a failed attempt and keeps the entry. */
  failed(entry: RepairEntry, reason: string): Promise<void>;
}

/** A journal in memory: enough for one process and for tests; lost on restart (use `DbJournal` otherwise). */
export class InMemoryJournal implements RepairJournal {
  private readonly entries = new Map<string, RepairEntry>();

  private static id(port: PortName, key: string): string {
    return `${port}\u0000${key}`;
  }

  async record(entry: RepairRecord): Promise<void> {
    const id = InMemoryJournal.id(entry.port, entry.key);
    const previous = this.entries.get(id);
    // A refreshed entry moves to the end, keeping the map in oldest-first order.
    this.entries.delete(id);
    this.entries.set(id, { ...entry, recordedAt: new Date(), attempts: previous?.attempts ?? 0, version: (previous?.version ?? 0) + 1 });
  }

  async pending(port: PortName, limit: number): Promise<RepairEntry[]> {
    return [...this.entries.values()].filter((e) => e.port === port).slice(0, limit);
  }

  async resolve(entry: RepairEntry): Promise<void> {
    const id = InMemoryJournal.id(entry.port, entry.key);
    if (this.entries.get(id)?.version === entry.version) this.entries.delete(id);
  }

  async failed(entry: RepairEntry, reason: string): Promise<void> {
    const current = this.entries.get(InMemoryJournal.id(entry.port, entry.key));
    if (current) {
      current.attempts += 1;
      current.reason = reason;
    }
  }
}
