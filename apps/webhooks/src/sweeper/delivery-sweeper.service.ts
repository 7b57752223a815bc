import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName, QueueName } from '@postline/contracts';
import { PG_POOL, withTransaction } from '@postline/database';
import { insertOutbox, outboxEntry, OutboxRelay, QueueRegistry } from '@postline/queue';
import type { Pool } from 'pg';
import { sweptTotal } from '../delivery/delivery-metrics';
import { deliveryJobId } from '../delivery/delivery-job-id';
import type { Env } from '../env';

const BATCH = 1000;

interface OverdueRow {
  id: string;
  eventId: string;
  url: string;
  attempts: number;
}

/**
 * Safety net under the retry chain. Every attempt's next job is committed with its outcome (outbox), so jobs
 * go missing only when something outside that chain fails: a job that failed on an infrastructure error
 * (Postgres down mid-attempt), a job stalled past BullMQ's limit, lost Redis data. The sweeper re-runs failed
 * jobs, then re-queues PENDING / FAILED deliveries long past due under the job id their next attempt already
 * has — a job still waiting in a backlog absorbs the re-queue, so sweeping never multiplies work.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliverySweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
    private readonly relay: OutboxRelay,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweepOnce(),
      this.config.get('WEBHOOK_SWEEP_INTERVAL_MS', { infer: true }),
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass unless one is running; resolves with the number of deliveries re-queued. */
  sweepOnce(): Promise<number> {
    this.running ??= this.sweep()
      .catch((error: unknown) => {
        this.logger.warn(`webhook sweep failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    // Redis down: skip the pass; every delivery's job is still in Postgres (outbox) or BullMQ.
    await this.queues.get(QueueName.WebhookDeliver).retryJobs({ state: 'failed', count: BATCH });
    const cutoff = new Date(Date.now() - this.config.get('WEBHOOK_SWEEP_GRACE_MS', { infer: true }));
    const { rows } = await this.pool.query<OverdueRow>(
      `(SELECT "id", "eventId", "url", "attempts" FROM "WebhookDelivery"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" IS NULL AND "createdAt" < ($1::timestamptz AT TIME ZONE 'UTC') ORDER BY "createdAt" LIMIT $2)
       UNION ALL
       (SELECT "id", "eventId", "url", "attempts" FROM "WebhookDelivery"
        WHERE "status" IN ('PENDING', 'FAILED') AND "nextAttemptAt" < ($1::timestamptz AT TIME ZONE 'UTC') ORDER BY "nextAttemptAt" LIMIT $2)`,
      [cutoff, BATCH],
    );
    if (rows.length === 0) return 0;
    await withTransaction(this.pool, (client) =>
      insertOutbox(
        client,
        rows.map((r) =>
          outboxEntry(JobName.DeliverWebhook, { deliveryId: r.id }, deliveryJobId(r.eventId, r.url, r.attempts + 1)),
        ),
      ),
    );
    this.relay.nudge();
    sweptTotal.inc(rows.length);
    this.logger.log(`re-queued ${rows.length} overdue webhook deliveries`);
    return rows.length;
  }
}
