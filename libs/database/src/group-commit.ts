import { isDatabaseUnavailable } from './pg-pool';

interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  maxConcurrent?: number;
  /**
   * Errors that say nothing about the items (the database unreachable, Redis down): the whole batch is
   * rejected at once instead of being split. Default: Postgres or Redis unreachable.
   */
  sharedFailure?: (error: unknown) => boolean;
  /** Items are interchangeable (a count of callers): nothing to isolate, a failed batch fails all. */
  isolate?: boolean;
}

/** Postgres unreachable, or Redis (ioredis' own wording): splitting the batch would fail every half again. */
function connectionLost(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    isDatabaseUnavailable(error) ||
    (typeof message === 'string' &&
      /Connection is closed|max retries per request|Stream isn't writeable/i.test(message))
  );
}

/**
 * Group commit: items submitted by concurrent callers (requests, BullMQ jobs running side by side) in the
 * same event-loop turn, and while earlier batches are being written, are handled by one call of `run`, so
 * one database transaction serves many of them. Under light load a batch holds one item and runs at once;
 * under load batches grow while up to `maxConcurrent` earlier ones commit. `run` returns one result per
 * item, in order.
 *
 * No item fails because of another: when `run` throws for a batch of several items, the batch is split in
 * two and each half runs again (bisection), down to the single item at fault, which alone gets the error.
 * A poisoned item in a batch of n costs about 2·log2(n) extra transactions; the others commit.
 */
export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private running = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxConcurrent: number;
  private readonly sharedFailure: (error: unknown) => boolean;
  private readonly isolate: boolean;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    maxBatch = 200,
    maxConcurrent = 2,
    options: Omit<GroupCommitOptions, 'maxBatch' | 'maxConcurrent'> = {},
  ) {
    this.maxBatch = maxBatch;
    this.maxConcurrent = maxConcurrent;
    this.sharedFailure = options.sharedFailure ?? connectionLost;
    this.isolate = options.isolate ?? true;
  }

  submit(item: I): Promise<O> {
    const result = new Promise<O>((resolve, reject) => this.pending.push({ item, resolve, reject }));
    this.schedule();
    return result;
  }

  /** Items waiting for a batch. */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.maxConcurrent || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.running += 1;
    try {
      await this.settle(batch);
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }

  private async settle(batch: Pending<I, O>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1 || !this.isolate || this.sharedFailure(error)) {
        batch.forEach((p) => p.reject(error));
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      await this.settle(batch.slice(0, middle));
      await this.settle(batch.slice(middle));
    }
  }
}
