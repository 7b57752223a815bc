import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JobName, QueueName } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import type { Pool } from 'pg';
import { QueueRegistry } from './queue-registry.service';

interface OutboxRow {
  id: string;
  queue: QueueName;
  jobName: JobName;
  jobId: string;
  payload: unknown;
  delayMs: number;
}

const BATCH = 1000;
const POLL_MS = 500;

/**
 * Moves committed outbox rows to BullMQ (DESIGN §6: accepted means never lost). Rows are locked with
 * SKIP LOCKED so any number of relays, in any number of processes, share the work; they are deleted in the
 * same transaction once `addBulk` succeeded. A crash between the two re-adds the same job ids, which BullMQ
 * ignores while the job exists and consumers treat idempotently after.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private lastFailureLog = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
  ) {}

  onApplicationBootstrap(): void {
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
      const moved = await this.relayBatch();
      if (moved < BATCH || this.stopped) return;
    }
  }

  private async relayBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT "id", "queue", "jobName", "jobId", "payload", "delayMs" FROM "OutboxEvent"
         ORDER BY "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length > 0) {
        const byQueue = new Map<QueueName, OutboxRow[]>();
        for (const row of rows) {
          const jobs = byQueue.get(row.queue);
          if (jobs) jobs.push(row);
          else byQueue.set(row.queue, [row]);
        }
        await Promise.all(
          [...byQueue].map(([queue, jobs]) =>
            this.queues.get(queue).addBulk(
              jobs.map((job) => ({
                name: job.jobName,
                data: job.payload,
                opts: {
                  jobId: job.jobId,
                  ...(job.delayMs > 0 ? { delay: job.delayMs } : {}),
                },
              })),
            ),
          ),
        );
        await client.query(`DELETE FROM "OutboxEvent" WHERE "id" = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private logFailure(error: unknown): void {
    // Redis or Postgres down: rows stay in the outbox and the next poll retries. Log at most every 10 s.
    const now = Date.now();
    if (now - this.lastFailureLog < 10_000) return;
    this.lastFailureLog = now;
    this.logger.warn(`outbox relay waiting: ${error instanceof Error ? error.message : String(error)}`);
  }
}
