import { Inject, Injectable, Logger } from '@nestjs/common';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import type { Pool } from 'pg';
import { Counter, register } from 'prom-client';
import { OutboxRelay } from './outbox-relay.service';
import { QueueRegistry } from './queue-registry.service';

/** One piece of pending work and the job that carries it. */
export interface PendingJob<N extends JobName = JobName> {
  jobId: string;
  data: JobPayloads[N];
}

/** Work that Postgres records as pending, read a page at a time in a stable order. */
export interface PendingWork<N extends JobName = JobName> {
  /** Names the pass in metrics, logs and its advisory lock. */
  readonly name: string;
  readonly jobName: N;
  /**
   * Up to `limit` items that became pending before `before`, after `cursor` in the source's order; the
   * returned cursor continues the scan (null: no more).
   */
  page(
    db: Pool,
    before: Date,
    cursor: string | null,
    limit: number,
  ): Promise<{ jobs: PendingJob<N>[]; cursor: string | null }>;
  /** Those of `jobs` Postgres still holds as pending now (read again after Redis was asked). */
  stillPending(db: Pool, jobs: PendingJob<N>[]): Promise<PendingJob<N>[]>;
}

const PAGE = 1000;

const reconciledJobs = (): Counter =>
  (register.getSingleMetric('postline_reconciled_jobs_total') as Counter | undefined) ??
  new Counter({
    name: 'postline_reconciled_jobs_total',
    help: 'Jobs re-queued because Postgres held the work as pending but Redis no longer had its job',
    labelNames: ['queue', 'job'],
  });

/**
 * Rebuilds Redis from Postgres (DESIGN §10): every pending item whose job Redis no longer holds is queued
 * again under the same job id, so a job that still exists (waiting, delayed, active, failed) is never
 * doubled and consumers stay idempotent. One pass at a time for the fleet (a Postgres advisory lock); a
 * replica that finds the lock taken skips its turn.
 */
@Injectable()
export class JobReconciler {
  private readonly logger = new Logger(JobReconciler.name);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
    private readonly relay: OutboxRelay,
  ) {}

  /** Re-queues the lost jobs of `work` older than `graceMs`; returns how many (null: another replica runs it). */
  async reconcile<N extends JobName>(work: PendingWork<N>, graceMs: number): Promise<number | null> {
    // Due outbox rows go out too (the relay also polls; this only makes the pass complete on its own).
    this.relay.nudge();
    const lock = await this.pool.connect();
    try {
      const { rows } = await lock.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS "locked"`, [
        `postline:reconcile:${work.name}`,
      ]);
      if (!rows[0].locked) return null;
      try {
        return await this.pass(work, new Date(Date.now() - graceMs));
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`postline:reconcile:${work.name}`]);
      }
    } finally {
      // A connection that died took its session lock with it.
      lock.release();
    }
  }

  private async pass<N extends JobName>(work: PendingWork<N>, before: Date): Promise<number> {
    const queue = this.queues.get(JOB_QUEUE[work.jobName]);
    const redis = await queue.getBackend().client;
    let cursor: string | null = null;
    let requeued = 0;
    do {
      const page: { jobs: PendingJob<N>[]; cursor: string | null } = await work.page(this.pool, before, cursor, PAGE);
      cursor = page.cursor;
      if (page.jobs.length === 0) break;
      // A job's hash exists while BullMQ holds the job in any state (its keys share the queue's hash tag).
      // The commands go out together on one connection, one round trip for the page.
      const held = await Promise.all(page.jobs.map((job) => redis.hexists(queue.toKey(job.jobId), 'timestamp')));
      const missing = page.jobs.filter((_, i) => held[i] === 0);
      if (missing.length === 0) continue;
      // A job leaves Redis only after its work committed, so one that finished between the page and the
      // question to Redis is no longer pending: asking Postgres again keeps it from being queued twice.
      const lost = await work.stillPending(this.pool, missing);
      if (lost.length === 0) continue;
      await queue.addBulk(lost.map((job) => ({ name: work.jobName, data: job.data, opts: { jobId: job.jobId } })));
      requeued += lost.length;
      reconciledJobs().inc({ queue: queue.name, job: work.jobName }, lost.length);
    } while (cursor !== null);
    if (requeued > 0) this.logger.warn({ work: work.name, requeued }, 'pending work whose job Redis lost re-queued');
    return requeued;
  }
}
