/**
 * Where the triggers keep what makes links single-use and rate-limited. Both methods are
 * conditional writes: they must be atomic across concurrent Lambda invocations.
 *
 * DynamoDB recipe (one table, partition key `pk`, TTL attribute `expiresAt`):
 * - `markUsed`: `PutItem {pk: "used#<nonce>", expiresAt}` with
 *   `ConditionExpression: "attribute_not_exists(pk)"`; `ConditionalCheckFailedException` → false.
 * - `recordIssue`: `PutItem {pk: "issued#<userName>", issuedAt, expiresAt}` with
 *   `ConditionExpression: "attribute_not_exists(pk) OR issuedAt <= :notBefore"`; a failed
 *   condition → false.
 */
export interface MagicLinkStore {
  /**
   * Records that a link for `userName` was issued at `issuedAt` (ms), unless one was issued after
   * `notBefore` (ms). Resolves false, writing nothing, when that is so.
   */
  recordIssue(userName: string, issuedAt: number, notBefore: number): Promise<boolean>;
  /** Marks the link `nonce` used; resolves false when it already was. `expiresAt` (ms) is when the mark may be forgotten. */
  markUsed(nonce: string, expiresAt: number): Promise<boolean>;
}

/** For tests and single-process development: the marks live in memory and vanish with the process. */
export class MemoryMagicLinkStore implements MagicLinkStore {
  private readonly issued = new Map<string, number>();
  private readonly used = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async recordIssue(userName: string, issuedAt: number, notBefore: number): Promise<boolean> {
    const last = this.issued.get(userName);
    if (last !== undefined && last > notBefore) return false;
    this.issued.set(userName, issuedAt);
    return true;
  }

  async markUsed(nonce: string, expiresAt: number): Promise<boolean> {
    for (const [key, until] of this.used) if (until < this.now()) this.used.delete(key);
    if (this.used.has(nonce)) return false;
    this.used.set(nonce, expiresAt);
    return true;
  }
}
