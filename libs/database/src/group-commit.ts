interface Pending<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted by concurrent callers (requests, BullMQ jobs running side by side) in the
 * same event-loop turn, and while earlier batches are being written, are handled by one call of `run`, so
 * one database transaction serves many of them. Under light load a batch holds one item and runs at once;
 * under load batches grow while up to `maxConcurrent` earlier ones commit. `run` returns one result per
 * item, in order; if it throws, every item of that batch is rejected with the error.
 */
export class GroupCommit<I, O> {
  private pending: Pending<I, O>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
    private readonly maxConcurrent = 2,
  ) {}

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
      const results = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    } finally {
      this.running -= 1;
      this.schedule();
    }
  }
}
