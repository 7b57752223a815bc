import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { GroupCommit, PG_POOL } from '@postline/database';
import {
  claimDueDeliveries,
  claimProbeDeliveries,
  recordDeliveryAttempts,
  releaseDeliveries,
} from '@postline/email-ledger';
import type { Pool } from 'pg';
import type { AttemptRecord, DeliveryRow } from './delivery-row';
import type { ClaimLimits } from './fair-share';
import { TargetCircuits } from './target-circuits.service';

/**
 * The worker's reads and writes of WebhookDelivery, which is the delivery queue as well as its log. A claim
 * takes many due rows in one statement (SKIP LOCKED, so any number of workers share the table) and leases
 * them (`leaseUntil`, past the attempt's deadline): a worker that dies mid-attempt leaves its rows claimable
 * again when the lease ends. Outcomes of concurrent attempts are recorded together, one statement each
 * batch, the attempt log row with them.
 */
@Injectable()
export class DeliveryStore {
  private readonly logger = new Logger(DeliveryStore.name);
  private readonly recorder = new GroupCommit<AttemptRecord, boolean>((records) => this.recordMany(records), 500, 1);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly circuits: TargetCircuits,
  ) {}

  /**
   * Up to `limit` due deliveries, oldest due first, leased to the caller for `leaseMs`, no target or account
   * beyond its share (`share`: the most one may hold, and what this process holds already).
   */
  async claimDue(limit: number, leaseMs: number, share: ClaimLimits): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(claimDueDeliveries(limit, leaseMs, share));
    return rows;
  }

  /**
   * Half-open circuits: for each target whose circuit wait is over and that no worker is probing, this worker
   * takes the probe (`probeUntil`, a lease like a delivery's) and claims one due delivery of it. Its outcome
   * closes the circuit or opens it again for longer (TargetCircuits).
   */
  async claimProbes(leaseMs: number): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(claimProbeDeliveries(leaseMs));
    return rows;
  }

  /** Ends the lease of rows claimed but never attempted (a worker stopping), so that any worker takes them now. */
  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(releaseDeliveries(ids));
  }

  /** Resolves false when another worker recorded this attempt first (the row moved on). */
  record(record: AttemptRecord): Promise<boolean> {
    return this.recorder.submit(record);
  }

  /**
   * One statement per batch (atomic on its own, one round trip): update each delivery if no other worker
   * recorded this attempt first, and log the attempt. A retry needs nothing more than its due time.
   */
  private async recordMany(records: AttemptRecord[]): Promise<boolean[]> {
    // Two outcomes of one delivery in one batch: the first one's attempt counts, the other lost the race.
    const first = new Map<string, AttemptRecord>();
    for (const r of records) if (!first.has(r.deliveryId)) first.set(r.deliveryId, r);
    const input = [...first.values()].map((r) => ({
      deliveryId: r.deliveryId,
      seenAttempts: r.seenAttempts,
      status: r.status,
      statusCode: r.statusCode,
      latencyMs: r.latencyMs,
      error: r.error,
      nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
      attemptId: randomUUID(),
    }));
    const { rows } = await this.pool.query<{ id: string }>(recordDeliveryAttempts(input));
    const updated = new Set(rows.map((r) => r.id));
    const applied = records.map((r) => first.get(r.deliveryId) === r && updated.has(r.deliveryId));
    // The circuits follow the attempts that counted; they only steer claims, so failing to note them loses none.
    await this.circuits.note(records.filter((_, i) => applied[i])).catch((error: unknown) => {
      this.logger.warn(
        `noting webhook target health failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return applied;
  }
}
