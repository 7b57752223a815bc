import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottledLog } from '@postline/queue';
import type { Env } from '../env';
import type { PostResult } from '../http/webhook-http-client';
import { WebhookHttpClient } from '../http/webhook-http-client';
import { type AttemptOutcome, decideAttempt } from './attempt-outcome';
import { deliveriesTotal, deliveryLatency, eventToCallback } from './delivery-metrics';
import type { AttemptRecord, DeliveryRow } from './delivery-row';
import { DeliveryStore } from './delivery-store.service';
import { parseSchedule, RetryPolicy } from './retry-policy';
import { secretKey, signatureHeader } from './webhook-signature';

/** What an attempt came to; `superseded`: another worker recorded this attempt first. */
export type DeliveryResult = AttemptOutcome | 'superseded';

/** The secrets that sign now: the current one, and the previous one while its rotation overlap lasts. */
export function signingKeys(delivery: DeliveryRow, now: number): Buffer[] {
  const keys = [secretKey(delivery.webhookSecret)];
  if (
    delivery.previousWebhookSecret &&
    delivery.previousSecretExpiresAt &&
    delivery.previousSecretExpiresAt.getTime() > now
  ) {
    keys.push(secretKey(delivery.previousWebhookSecret));
  }
  return keys;
}

function resultClass(result: PostResult): string {
  if (result.kind === 'error') return result.refused ? 'refused' : result.timedOut ? 'timeout' : 'error';
  return `${Math.floor(result.statusCode / 100)}xx`;
}

/**
 * One attempt of one claimed delivery: sign and POST the stored envelope, record the outcome. The same
 * `webhook-id` (the event id) goes out on every attempt, including a re-run after a worker died mid-POST, so
 * receivers can drop duplicates.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly policy: RetryPolicy;
  /** Failures logged at most once a second: a dead receiver of many callbacks must not flood the log. */
  private readonly failureLog = new ThrottledLog(this.logger, 1000);

  constructor(
    private readonly store: DeliveryStore,
    private readonly http: WebhookHttpClient,
    config: ConfigService<Env, true>,
  ) {
    this.policy = new RetryPolicy({
      scheduleSeconds: parseSchedule(config.get('WEBHOOK_RETRY_SCHEDULE', { infer: true })),
      jitter: config.get('WEBHOOK_RETRY_JITTER', { infer: true }),
      retryAfterMaxSeconds: config.get('WEBHOOK_RETRY_AFTER_MAX_SECONDS', { infer: true }),
    });
  }

  /** One attempt, its outcome recorded. */
  async deliver(delivery: DeliveryRow): Promise<DeliveryResult> {
    return (await this.attempt(delivery)).recorded;
  }

  /**
   * POSTs and resolves as soon as the receiver answered (or failed to), with the outcome still being
   * recorded: the worker's slot is free for the next POST while the record waits for its group commit.
   */
  async attempt(delivery: DeliveryRow): Promise<{ recorded: Promise<DeliveryResult> }> {
    const now = Date.now();
    const { body } = delivery;
    const timestamp = Math.floor(now / 1000);
    const result = await this.http.post(delivery.url, body, {
      'content-type': 'application/json',
      'user-agent': 'Postline-Webhooks/1.0',
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(signingKeys(delivery, now), delivery.eventId, timestamp, body),
    });
    deliveryLatency.observe({ result: resultClass(result) }, result.latencyMs / 1000);
    const { record, outcome } = decideAttempt(delivery, result, this.policy, Date.now());
    if (outcome !== 'succeeded') this.logFailure(record, outcome);
    else if (delivery.createdAtMs !== undefined) eventToCallback.observe((Date.now() - delivery.createdAtMs) / 1000);
    return { recorded: this.store.record(record).then((applied) => this.count(applied ? outcome : 'superseded')) };
  }

  private logFailure(record: AttemptRecord, outcome: AttemptOutcome): void {
    this.failureLog.warn((dropped) => {
      const next =
        record.retryInMs === null
          ? `no retry (${outcome})`
          : `next attempt in ${Math.round(record.retryInMs / 1000)} s`;
      const others = dropped > 0 ? ` (${dropped} other failures since the last line)` : '';
      return `callback to ${record.url} failed: ${record.error ?? 'no answer'}; ${next}${others}`;
    });
  }

  private count(result: DeliveryResult): DeliveryResult {
    deliveriesTotal.inc({ outcome: result });
    return result;
  }
}
