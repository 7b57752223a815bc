import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../env';
import { WebhookHttpClient } from '../http/webhook-http-client';
import type { DeliveryRow } from './delivery-row';
import { DeliveryStore } from './delivery-store.service';
import { FairShare } from './fair-share';
import { WebhookDeliveryService } from './webhook-delivery.service';

/** After a failed claim (Postgres unreachable) the next one waits at least this long. */
const CLAIM_RETRY_MS = 1_000;
/** How often a worker looks for open circuits whose wait is over, to probe their target with one delivery. */
const PROBE_EVERY_MS = 1_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Keeps up to WEBHOOK_CONCURRENCY POSTs in flight. Due rows are claimed from WebhookDelivery in batches: at
 * once while a backlog lasts (a claim got all it asked for), otherwise every WEBHOOK_POLL_INTERVAL_MS. Up to
 * half the concurrency is claimed ahead, and a claim goes out once a quarter's worth is wanted: one claim
 * serves many deliveries, and while it is under way the slots that free up still find rows ready (with only
 * a quarter ahead, the claim went out when the last one was taken and slots sat empty until it returned).
 * Each target and account gets a bounded share of the slots (FairShare): the claim takes no more of one than its
 * share, and a row claimed ahead starts only when its target and account have a free slot, so a dead receiver
 * holds its own share and no more. Stopping hands back the rows claimed ahead, finishes the POSTs in flight and
 * records them before the database pool closes.
 */
@Injectable()
export class DeliveryPump implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeliveryPump.name);
  private readonly concurrency: number;
  /** Rows claimed ahead at most: no more than the slots, so a row waits at most one attempt for one. */
  private readonly ahead: number;
  /** The smallest claim worth a round trip. */
  private readonly quarter: number;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly share: FairShare;
  private probedAt = 0;
  /** Claimed, not yet started: a slot takes the next one as soon as it frees up. */
  private ready: DeliveryRow[] = [];
  /** POSTs under way: what WEBHOOK_CONCURRENCY bounds. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Outcomes posted but not yet recorded (group commit); their rows stay leased until then. */
  private readonly recording = new Set<Promise<void>>();
  /** Set and cleared synchronously, so a delivery finishing in the same tick as a claim is never overlooked. */
  private claiming = false;
  /** A target or account regained room during a claim: claim again when it returns. */
  private claimAgain = false;
  private claimRun?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private backlog = false;
  private stopped = true;
  private failing = false;

  constructor(
    private readonly store: DeliveryStore,
    private readonly deliveries: WebhookDeliveryService,
    private readonly http: WebhookHttpClient,
    config: ConfigService<Env, true>,
  ) {
    this.concurrency = config.get('WEBHOOK_CONCURRENCY', { infer: true });
    this.ahead = Math.max(1, Math.floor(this.concurrency / 2));
    this.quarter = Math.max(1, Math.floor(this.concurrency / 4));
    this.pollMs = config.get('WEBHOOK_POLL_INTERVAL_MS', { infer: true });
    this.leaseMs = config.get('WEBHOOK_LEASE_MS', { infer: true });
    this.share = new FairShare(
      FairShare.slots(this.concurrency, config.get('WEBHOOK_TARGET_SHARE', { infer: true })),
      FairShare.slots(this.concurrency, config.get('WEBHOOK_ACCOUNT_SHARE', { infer: true })),
      this.ahead / this.concurrency,
    );
    // WEBHOOK_LEASE_MS > 2 × WEBHOOK_TIMEOUT_MS is checked with the rest of the settings (env.ts).
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.fill();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.claimRun;
    const unstarted = this.ready.map((row) => row.id);
    for (const row of this.ready) this.share.unhold(row);
    this.ready = [];
    // Claimable again at once rather than when their lease ends; if this fails, the lease still ends.
    await this.store.release(unstarted).catch(() => undefined);
    await Promise.all(this.inFlight);
    await Promise.all(this.recording);
    await this.http.close();
  }

  private fill(): void {
    if (this.claiming || this.stopped) return;
    this.claiming = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.claimRun = this.claimWhileWanted();
  }

  /** Rows to claim: free slots plus the claimed-ahead allowance, less what is claimed already. */
  private wanted(): number {
    return this.concurrency + this.ahead - this.inFlight.size - this.ready.length;
  }

  private async claimWhileWanted(): Promise<void> {
    try {
      for (;;) {
        this.claimAgain = false;
        const wanted = this.wanted();
        // Too few wanted: a finishing delivery calls fill() again.
        if (this.stopped || wanted < this.quarter) return;
        if (Date.now() - this.probedAt >= PROBE_EVERY_MS) {
          this.probedAt = Date.now();
          this.take(await this.store.claimProbes(this.leaseMs));
        }
        const rows = await this.store.claimDue(wanted, this.leaseMs, this.share.limits());
        if (this.failing) this.logger.log('claiming webhook deliveries works again');
        this.failing = false;
        this.take(rows);
        this.startReady();
        this.backlog = rows.length === wanted;
        if (!this.backlog && !this.claimAgain) return this.wake(this.pollMs);
      }
    } catch (error) {
      // Nothing is lost: due rows stay due. Logged once per outage.
      if (!this.failing) this.logger.warn(`claiming webhook deliveries failed: ${message(error)}; retrying`);
      this.failing = true;
      this.backlog = false;
      this.wake(Math.max(this.pollMs, CLAIM_RETRY_MS));
    } finally {
      this.claiming = false;
    }
  }

  private take(rows: DeliveryRow[]): void {
    for (const row of rows) this.share.hold(row);
    this.ready.push(...rows);
  }

  private wake(afterMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.fill(), afterMs);
  }

  /** Starts ready rows in claim order, passing over those whose target or account has no free slot. */
  private startReady(): void {
    for (let i = 0; !this.stopped && i < this.ready.length && this.inFlight.size < this.concurrency;) {
      const row = this.ready[i];
      if (this.share.canStart(row)) {
        this.ready.splice(i, 1);
        this.start(row);
      } else {
        i += 1;
      }
    }
  }

  private start(row: DeliveryRow): void {
    this.share.started(row);
    const run: Promise<void> = this.deliveries
      .attempt(row)
      .then(
        ({ recorded }) => this.track(row, recorded),
        (error: unknown) => this.logger.warn(`webhook delivery ${row.id}: ${message(error)}`),
      )
      .finally(() => {
        this.inFlight.delete(run);
        this.share.finished(row);
        this.startReady();
        // While a backlog lasts, or when no poll is pending (fill() stopped for want of free slots), or when
        // a target or account that the claims held to its share has room for a batch again.
        if (this.share.regained(row)) {
          if (this.claiming) this.claimAgain = true;
          else this.fill();
        } else if (this.backlog || !this.timer) {
          this.fill();
        }
      });
    this.inFlight.add(run);
  }

  private track(row: DeliveryRow, recorded: Promise<unknown>): void {
    const done: Promise<void> = recorded
      .then(
        () => undefined,
        // Postgres gone mid-attempt: the lease ends, and the delivery is attempted again.
        (error: unknown) =>
          this.logger.warn(`webhook delivery ${row.id}: ${message(error)}; attempted again after its lease`),
      )
      .finally(() => this.recording.delete(done));
    this.recording.add(done);
  }
}
