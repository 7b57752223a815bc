import type { PostResult } from '../http/webhook-http-client';
import { decideAttempt } from './attempt-outcome';
import type { DeliveryRow } from './delivery-row';
import { RetryPolicy } from './retry-policy';

const now = Date.parse('2026-11-26T10:00:00Z');
const policy = new RetryPolicy({ scheduleSeconds: [5, 300], jitter: 0, retryAfterMaxSeconds: 600 });

function delivery(attempts = 0): DeliveryRow {
  return {
    id: 'd1',
    accountId: 'a1',
    target: 'https://hooks.example.com',
    eventId: 'e1',
    url: 'https://hooks.example.com/x',
    body: `{"id":"e1","type":"email.status","timestamp":${now},"data":{}}`,
    attempts,
    webhookSecret: 'whsec_AAAA',
    previousWebhookSecret: null,
    previousSecretExpiresAt: null,
  };
}

const response = (statusCode: number, extra: Partial<Extract<PostResult, { kind: 'response' }>> = {}): PostResult => ({
  kind: 'response',
  statusCode,
  latencyMs: 12,
  body: '',
  ...extra,
});

describe(decideAttempt.name, () => {
  it('marks a 2xx SUCCEEDED with no next attempt', () => {
    expect(decideAttempt(delivery(), response(202), policy, now)).toEqual({
      outcome: 'succeeded',
      record: expect.objectContaining({
        status: 'SUCCEEDED',
        statusCode: 202,
        error: null,
        nextAttemptAt: null,
        retryInMs: null,
        seenAttempts: 0,
      }),
    });
  });

  it('schedules the next retry after a 5xx, with the body start as the error', () => {
    const { record, outcome } = decideAttempt(delivery(1), response(500, { body: 'db\u0000 down\n' }), policy, now);
    expect(outcome).toBe('retrying');
    expect(record).toMatchObject({
      status: 'FAILED',
      statusCode: 500,
      error: 'HTTP 500: db down',
      retryInMs: 300_000,
      seenAttempts: 1,
    });
    expect(record.nextAttemptAt).toEqual(new Date(now + 300_000));
  });

  it('is EXHAUSTED when the schedule has no retry left', () => {
    expect(decideAttempt(delivery(2), response(500), policy, now)).toMatchObject({
      outcome: 'exhausted',
      record: { status: 'EXHAUSTED', nextAttemptAt: null, retryInMs: null },
    });
  });

  it('stops on 410 Gone', () => {
    expect(decideAttempt(delivery(), response(410), policy, now)).toMatchObject({
      outcome: 'gone',
      record: { status: 'GONE', retryInMs: null },
    });
  });

  it('honours Retry-After on 429 and 503 only', () => {
    expect(decideAttempt(delivery(), response(429, { retryAfter: '42' }), policy, now).record.retryInMs).toBe(42_000);
    expect(decideAttempt(delivery(), response(503, { retryAfter: '9999' }), policy, now).record.retryInMs).toBe(
      600_000,
    );
    expect(decideAttempt(delivery(), response(500, { retryAfter: '42' }), policy, now).record.retryInMs).toBe(5_000);
  });

  it('fails a redirect, naming where it pointed', () => {
    expect(
      decideAttempt(delivery(), response(301, { location: 'https://elsewhere.example/' }), policy, now).record,
    ).toMatchObject({
      status: 'FAILED',
      error: 'HTTP 301: redirect to https://elsewhere.example/ not followed',
    });
  });

  it('retries network errors and timeouts, but not refused targets', () => {
    const timeout: PostResult = {
      kind: 'error',
      latencyMs: 15000,
      error: 'timed out after 15000 ms',
      refused: false,
      timedOut: true,
    };
    const refused: PostResult = {
      kind: 'error',
      latencyMs: 0,
      error: 'refused to connect to 10.0.0.1: private address',
      refused: true,
      timedOut: false,
    };
    expect(decideAttempt(delivery(), timeout, policy, now)).toMatchObject({
      outcome: 'retrying',
      record: { statusCode: null, latencyMs: 15000 },
    });
    expect(decideAttempt(delivery(), refused, policy, now)).toMatchObject({
      outcome: 'refused',
      record: { status: 'EXHAUSTED', retryInMs: null },
    });
  });

  it("counts failures that may be retried against the target's circuit, not successes, 410 or refusals", () => {
    const failed = (result: PostResult, attempts = 0) =>
      decideAttempt(delivery(attempts), result, policy, now).record.targetFailed;
    const timeout: PostResult = {
      kind: 'error',
      latencyMs: 15_000,
      error: 'timed out',
      refused: false,
      timedOut: true,
    };
    const refused: PostResult = { kind: 'error', latencyMs: 0, error: 'refused', refused: true, timedOut: false };
    expect(failed(timeout)).toBe(true);
    expect(failed(response(503))).toBe(true);
    expect(failed(response(500), 2)).toBe(true); // the last attempt: EXHAUSTED, still a failure of the target
    expect(failed(response(200))).toBe(false);
    expect(failed(response(410))).toBe(false);
    expect(failed(refused)).toBe(false);
  });
});
