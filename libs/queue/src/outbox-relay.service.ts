import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobName, QueueName } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import type { Pool } from 'pg';
import { takeOutboxRows } from './outbox';
import { QueueRegistry } from './queue-registry.service';
import { ThrottledLog } from './throttled-log';

interface OutboxRow {
  queue: QueueName;
  jobName: JobName;
  delayMs: number;
  jobs: { id: string; data: unknown }[];
}

/** Rows locked per pass, and the jobs a pass moves (a larger single row still moves, alone). */
const ROWS_PER_PASS = 1000;
const JOBS_PER_PASS = 1000;
const POLL_MS = 500;

/**
 * Moves committed outbox rows to BullMQ (DESIGN §6: accepted means never lost). Rows are locked with
 * SKIP LOCKED so any number of relays, in any number of processes, share the work; they are deleted in the
 * transaction that commits only once `addBulk` succeeded. A crash between the two re-adds the same job ids, which BullMQ
 * ignores while the job exists and consumers treat idempotently after.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly failureLog = new ThrottledLog(this.logger, 10_000);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
  ) {}

  onApplicationBootstrap(): void {
    // A local wake-up, not a job scheduler: the relay is what puts jobs on queues, and every process polls its own.
    this.timer = setInterval(() => this.nudge(), POLL_MS);
    this.timer.unref();
    this.nudge();
  }

  /** Makes a last pass and stops polling; called by WorkerShutdown before the database pool closes. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.drain().catch((error: unknown) => this.logFailure(error));
    this.stopped = true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Asks for a drain soon; calls made while one runs coalesce into one more pass. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logFailure(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Relays every pending row; resolves when the outbox is empty (or another relay holds the rest). */
  async drain(): Promise<void> {
    for (;;) {
      const more = await this.relayBatch();
      if (!more || this.stopped) return;
    }
  }

  /** One pass of at most JOBS_PER_PASS jobs; true when rows were left for another pass. */
  private async relayBatch(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Sizes only: the jobs of rows beyond this pass's share are not read.
      const { rows: locked } = await client.query<{ id: string; size: number }>(
        `SELECT "id", "size" FROM "OutboxEvent" ORDER BY "id" LIMIT ${ROWS_PER_PASS} FOR UPDATE SKIP LOCKED`,
      );
      let jobs = 0;
      let take = 0;
      while (take < locked.length && (take === 0 || jobs + locked[take].size <= JOBS_PER_PASS)) {
        jobs += locked[take].size;
        take++;
      }
      if (take > 0) {
        const { rows } = await client.query<OutboxRow>(takeOutboxRows(locked.slice(0, take).map((r) => r.id)));
        await this.enqueue(rows);
      }
      await client.query('COMMIT');
      return take < locked.length || locked.length === ROWS_PER_PASS;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** One addBulk per queue, jobs in outbox order. */
  private async enqueue(rows: readonly OutboxRow[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: JobName; data: unknown; opts: { jobId: string; delay?: number } }[]>();
    for (const row of rows) {
      let jobs = byQueue.get(row.queue);
      if (!jobs) byQueue.set(row.queue, (jobs = []));
      for (const job of row.jobs) {
        jobs.push({
          name: row.jobName,
          data: job.data,
          opts: { jobId: job.id, ...(row.delayMs > 0 ? { delay: row.delayMs } : {}) },
        });
      }
    }
    await Promise.all([...byQueue].map(([queue, jobs]) => this.queues.get(queue).addBulk(jobs)));
  }

  private logFailure(error: unknown): void {
    // Redis or Postgres down: rows stay in the outbox and the next poll retries.
    this.failureLog.warn(`outbox relay waiting: ${error instanceof Error ? error.message : String(error)}`);
  }
}
