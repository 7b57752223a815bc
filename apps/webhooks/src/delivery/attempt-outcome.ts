import type { PostResult } from '../http/webhook-http-client';
import type { AttemptRecord, DeliveryRow } from './delivery-row';
import { parseRetryAfter, type RetryPolicy } from './retry-policy';

/** How an attempt ended, for metrics: the delivery's new status, or `refused` (SSRF / bad URL, never retried). */
export type AttemptOutcome = 'succeeded' | 'retrying' | 'exhausted' | 'gone' | 'refused';

const SNIPPET = 200;

function snippet(body: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = body.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return clean.length > SNIPPET ? `${clean.slice(0, SNIPPET)}…` : clean;
}

function responseError(result: Extract<PostResult, { kind: 'response' }>): string {
  const { statusCode } = result;
  if (statusCode >= 300 && statusCode < 400) {
    return `HTTP ${statusCode}: redirect${result.location ? ` to ${result.location}` : ''} not followed`;
  }
  const text = snippet(result.body);
  return text ? `HTTP ${statusCode}: ${text}` : `HTTP ${statusCode}`;
}

/**
 * Turns one POST result into the delivery's next state: 2xx succeeded; 410 gone (the receiver asked us to
 * stop); a refused target exhausted at once (retrying cannot make it allowed); anything else retried on the
 * schedule (Retry-After honoured on 429/503) until it runs out.
 */
export function decideAttempt(
  delivery: DeliveryRow,
  result: PostResult,
  policy: RetryPolicy,
  now: number,
): { record: AttemptRecord; outcome: AttemptOutcome } {
  // Records are built whole, not spread from a common base: on Node 20 `{ ...base, more }` takes V8's slow
  // path (several microseconds), and this runs once per callback.
  const record = (
    status: AttemptRecord['status'],
    error: string | null,
    nextAttemptAt: Date | null,
    retryInMs: number | null,
  ): AttemptRecord => ({
    deliveryId: delivery.id,
    accountId: delivery.accountId,
    target: delivery.target,
    targetFailed: status === 'FAILED' || (status === 'EXHAUSTED' && !(result.kind === 'error' && result.refused)),
    eventId: delivery.eventId,
    url: delivery.url,
    seenAttempts: delivery.attempts,
    status,
    statusCode: result.kind === 'response' ? result.statusCode : null,
    latencyMs: result.latencyMs,
    error,
    nextAttemptAt,
    retryInMs,
  });

  if (result.kind === 'response' && result.statusCode >= 200 && result.statusCode < 300) {
    return { record: record('SUCCEEDED', null, null, null), outcome: 'succeeded' };
  }
  if (result.kind === 'response' && result.statusCode === 410) {
    return { record: record('GONE', responseError(result), null, null), outcome: 'gone' };
  }
  if (result.kind === 'error' && result.refused) {
    return { record: record('EXHAUSTED', result.error, null, null), outcome: 'refused' };
  }

  const error = result.kind === 'response' ? responseError(result) : result.error;
  const honoursRetryAfter = result.kind === 'response' && (result.statusCode === 429 || result.statusCode === 503);
  const retryAfterMs = honoursRetryAfter ? parseRetryAfter(result.retryAfter, now) : undefined;
  const delay = policy.delayAfter(delivery.attempts + 1, retryAfterMs);
  if (delay === undefined) return { record: record('EXHAUSTED', error, null, null), outcome: 'exhausted' };
  return { record: record('FAILED', error, new Date(now + delay), delay), outcome: 'retrying' };
}
