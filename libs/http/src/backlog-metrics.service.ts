import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueName } from '@postline/contracts';
import { PG_POOL } from '@postline/database';
import { QueueRegistry } from '@postline/queue';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { metric } from './metrics';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
// Scrapes of several Prometheus servers (or a dashboard and an alert) within this time share one reading.
const FRESH_MS = 2000;

export interface BacklogSnapshot {
  queues: { queue: string; state: string; jobs: number }[];
  outboxRows: number;
  outboxOldestSeconds: number;
  webhooksDue: number;
  webhooksOldestDueSeconds: number;
  accountsByState: Record<string, number>;
}

// One statement for every Postgres figure: counts over the outbox (small unless the relay is stuck), the due
// webhook rows (the partial due index), and the accounts per reputation state.
const SNAPSHOT_SQL = `
  WITH due AS (
    SELECT "nextAttemptAt" FROM "WebhookDelivery"
    WHERE "status" IN ('PENDING', 'FAILED') AND "nextAttemptAt" <= now() AT TIME ZONE 'UTC'
  )
  SELECT
    (SELECT count(*) FROM "OutboxEvent")::float8 AS "outboxRows",
    (SELECT COALESCE(extract(epoch FROM (now() AT TIME ZONE 'UTC') - min("createdAt")), 0) FROM "OutboxEvent")::float8
      AS "outboxOldestSeconds",
    (SELECT count(*) FROM due)::float8 AS "webhooksDue",
    (SELECT COALESCE(extract(epoch FROM (now() AT TIME ZONE 'UTC') - min("nextAttemptAt")), 0) FROM due)::float8
      AS "webhooksOldestDueSeconds",
    (SELECT COALESCE(json_object_agg("reputationState", n), '{}') FROM
      (SELECT "reputationState", count(*)::int AS n FROM "Account" GROUP BY 1) r) AS "accountsByState"`;

// The gauges are process-wide (prom-client's registry); the latest app to start feeds them.
let current: BacklogMetrics | undefined;

/**
 * What an operator scales and alerts on, read at scrape time: jobs per queue and state (one Redis call per
 * queue), and one Postgres statement for the outbox backlog, due callbacks and accounts per reputation state.
 * Every app serves the same figures (they describe shared state): aggregate them with max(), not sum().
 */
@Injectable()
export class BacklogMetrics implements OnModuleInit, OnModuleDestroy {
  private reading?: { at: number; snapshot: Promise<BacklogSnapshot> };

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly queues: QueueRegistry,
  ) {}

  onModuleInit(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client's collect() reaches the live app here
    current = this;
    registerGauges();
  }

  onModuleDestroy(): void {
    if (current === this) current = undefined;
  }

  snapshot(): Promise<BacklogSnapshot> {
    if (!this.reading || Date.now() - this.reading.at > FRESH_MS) {
      this.reading = { at: Date.now(), snapshot: this.read() };
    }
    return this.reading.snapshot;
  }

  private async read(): Promise<BacklogSnapshot> {
    const [counts, { rows }] = await Promise.all([
      Promise.all(
        Object.values(QueueName).map(async (queue) => ({
          queue,
          counts: await this.queues.get(queue).getJobCounts(...QUEUE_STATES),
        })),
      ),
      this.pool.query<Omit<BacklogSnapshot, 'queues'>>(SNAPSHOT_SQL),
    ]);
    return {
      queues: counts.flatMap(({ queue, counts: byState }) =>
        QUEUE_STATES.map((state) => ({ queue, state, jobs: byState[state] ?? 0 })),
      ),
      ...rows[0],
    };
  }
}

/** Resets then sets a gauge from the snapshot; a failed reading leaves it empty (absent, not a stale value). */
function gauge(name: string, help: string, labelNames: string[], fill: (g: Gauge, s: BacklogSnapshot) => void): void {
  metric(
    name,
    () =>
      new Gauge({
        name,
        help,
        labelNames,
        async collect() {
          this.reset();
          const snapshot = await current?.snapshot().catch(() => undefined);
          if (snapshot) fill(this, snapshot);
        },
      }),
  );
}

function registerGauges(): void {
  gauge('postline_queue_jobs', 'Jobs in each BullMQ queue by state', ['queue', 'state'], (g, s) => {
    for (const q of s.queues) g.set({ queue: q.queue, state: q.state }, q.jobs);
  });
  gauge('postline_outbox_rows', 'Outbox rows not yet moved to Redis', [], (g, s) => g.set(s.outboxRows));
  gauge('postline_outbox_oldest_age_seconds', 'Age of the oldest outbox row (0 when empty)', [], (g, s) =>
    g.set(s.outboxOldestSeconds),
  );
  gauge('postline_webhook_deliveries_due', 'Callbacks due now and not yet delivered', [], (g, s) =>
    g.set(s.webhooksDue),
  );
  gauge('postline_webhook_deliveries_oldest_due_seconds', 'How long the oldest due callback has waited', [], (g, s) =>
    g.set(s.webhooksOldestDueSeconds),
  );
  gauge('postline_reputation_accounts', 'Accounts per reputation state', ['state'], (g, s) => {
    for (const state of ['HEALTHY', 'WARNING', 'BLOCKED']) g.set({ state }, s.accountsByState[state] ?? 0);
  });
}
