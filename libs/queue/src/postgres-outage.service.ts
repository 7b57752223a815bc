import { WorkerHost } from '@nestjs/bullmq';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { isDatabaseUnavailable, PG_POOL } from '@postline/database';
import { DelayedError, type Job, type Worker } from 'bullmq';
import type { Pool } from 'pg';
import { Gauge, register } from 'prom-client';

/** How often Postgres is asked whether it is back, and how long a job met by the outage waits. */
const PROBE_MS = 1_000;

const pausedGauge = (): Gauge =>
  (register.getSingleMetric('postline_workers_paused_for_database') as Gauge | undefined) ??
  new Gauge({
    name: 'postline_workers_paused_for_database',
    help: '1 while the workers of this process are paused because Postgres is unreachable',
  });

/**
 * Workers through a Postgres outage (DESIGN §10: workers pause and resume). The first job that meets a
 * connection-class error pauses every worker of this process (a local pause: other replicas decide for
 * themselves), and a probe query once a second resumes them when Postgres answers again. Jobs taken while it
 * was away wait, delayed, without using an attempt, so an outage longer than the retry backoff fails nothing.
 */
@Injectable()
export class PostgresOutage implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PostgresOutage.name);
  private since: Date | null = null;
  private readonly paused = new Set<Worker>();
  private stopping = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly discovery: DiscoveryService,
  ) {}

  /** When the current outage began (null: Postgres answers, the workers run). */
  get downSince(): Date | null {
    return this.since;
  }

  /**
   * For any error a job met: true when it says Postgres is unreachable, and then the workers are paused
   * until a probe query succeeds. For processors that handle such errors themselves.
   */
  report(error: unknown): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.since === null && !this.stopping) {
      this.since = new Date();
      this.logger.warn({ err: (error as Error).message }, 'Postgres unreachable: workers paused');
      this.pauseWorkers();
      pausedGauge().set(1);
      void this.probeUntilBack();
    }
    return true;
  }

  /**
   * Runs a job's work. When Postgres is unreachable the job goes back to the queue, delayed, without using
   * an attempt (and the workers pause); any other error is the job's own.
   */
  async guard<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!this.report(error) || token === undefined) throw error;
      await job.moveToDelayed(Date.now() + PROBE_MS, token);
      throw new DelayedError('Postgres unreachable');
    }
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  private pauseWorkers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const host = wrapper.instance as unknown;
      if (!(host instanceof WorkerHost)) continue;
      // A worker not started yet, or paused by its app for its own reason, is left as it is.
      const worker = host.worker as Worker | undefined;
      if (!worker?.isRunning() || worker.isPaused()) continue;
      this.paused.add(worker);
      // Jobs already active finish (or wait, delayed) on their own; nothing new is taken meanwhile.
      void worker.pause(true).catch(() => undefined);
    }
  }

  private async probeUntilBack(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS).unref());
      if (this.stopping) return;
      try {
        await this.pool.query('SELECT 1');
        break;
      } catch {
        // Still away.
      }
    }
    const downMs = Date.now() - (this.since as Date).getTime();
    this.since = null;
    for (const worker of this.paused) if (!worker.closing) void worker.resume().catch(() => undefined);
    this.paused.clear();
    pausedGauge().set(0);
    this.logger.log({ downMs }, 'Postgres reachable again: workers resumed');
  }
}
