/** What the fair share looks at in a delivery: whose it is and where it goes. */
export interface SharedRow {
  accountId: string;
  /** The URL's origin; with the account, the target. */
  target: string;
}

/** Rows one process holds (in flight or claimed ahead) per target, for the claim to leave the rest alone. */
export interface TargetHolding {
  accountId: string;
  target: string;
  n: number;
}

/** How many rows a claim may hold at most per target and per account, with what is held already. */
export interface ClaimLimits {
  perTarget: number;
  perAccount: number;
  held: TargetHolding[];
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

const targetKey = (row: SharedRow): string => `${row.accountId} ${row.target}`;

/**
 * The process's slots shared out between targets and accounts: one target runs at most `targetSlots` POSTs
 * and one account `accountSlots`, so a slow or dead receiver holds only its own. Rows claimed ahead count
 * against the same shares, scaled by the same allowance as the whole (`aheadRatio`): a claim never takes more
 * of one target than it can start within one attempt, so the lease rule (> 2 × timeout) still holds.
 */
export class FairShare {
  private readonly runningByTarget = new Map<string, number>();
  private readonly runningByAccount = new Map<string, number>();
  private readonly heldByTarget = new Map<string, number>();
  private readonly heldByAccount = new Map<string, number>();
  private readonly heldRows = new Map<string, SharedRow>();
  private readonly holdPerTarget: number;
  private readonly holdPerAccount: number;
  /** Room worth a claim of its own: a quarter of what a target or account may hold, as for the whole. */
  private readonly targetBatch: number;
  private readonly accountBatch: number;

  constructor(
    private readonly targetSlots: number,
    private readonly accountSlots: number,
    aheadRatio: number,
  ) {
    this.holdPerTarget = Math.max(1, Math.floor(targetSlots * (1 + aheadRatio)));
    this.holdPerAccount = Math.max(1, Math.floor(accountSlots * (1 + aheadRatio)));
    this.targetBatch = Math.max(1, Math.floor(this.holdPerTarget / 4));
    this.accountBatch = Math.max(1, Math.floor(this.holdPerAccount / 4));
  }

  /** The share of `concurrency` that `fraction` is, one slot at least. */
  static slots(concurrency: number, fraction: number): number {
    return Math.max(1, Math.floor(concurrency * fraction));
  }

  /** Rows claimed: held until they finish or go back. */
  hold(row: SharedRow): void {
    const key = targetKey(row);
    bump(this.heldByTarget, key, 1);
    bump(this.heldByAccount, row.accountId, 1);
    this.heldRows.set(key, row);
  }

  canStart(row: SharedRow): boolean {
    return (
      (this.runningByTarget.get(targetKey(row)) ?? 0) < this.targetSlots &&
      (this.runningByAccount.get(row.accountId) ?? 0) < this.accountSlots
    );
  }

  started(row: SharedRow): void {
    bump(this.runningByTarget, targetKey(row), 1);
    bump(this.runningByAccount, row.accountId, 1);
  }

  finished(row: SharedRow): void {
    bump(this.runningByTarget, targetKey(row), -1);
    bump(this.runningByAccount, row.accountId, -1);
    this.unhold(row);
  }

  /** A held row given back unstarted. */
  unhold(row: SharedRow): void {
    const key = targetKey(row);
    bump(this.heldByTarget, key, -1);
    bump(this.heldByAccount, row.accountId, -1);
    if (!this.heldByTarget.has(key)) this.heldRows.delete(key);
  }

  /**
   * True when the row just let go of brought its target or account, held to its share, back to a quarter's
   * room: a claim is worth making for it even though the worker as a whole polls (a busy target otherwise
   * waits for the poll interval, or claims one row per finished POST).
   */
  regained(row: SharedRow): boolean {
    return (
      this.holdPerTarget - (this.heldByTarget.get(targetKey(row)) ?? 0) === this.targetBatch ||
      this.holdPerAccount - (this.heldByAccount.get(row.accountId) ?? 0) === this.accountBatch
    );
  }

  limits(): ClaimLimits {
    const held: TargetHolding[] = [];
    for (const [key, n] of this.heldByTarget) {
      const row = this.heldRows.get(key) as SharedRow;
      held.push({ accountId: row.accountId, target: row.target, n });
    }
    return { perTarget: this.holdPerTarget, perAccount: this.holdPerAccount, held };
  }
}
