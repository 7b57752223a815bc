export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff when the server names no Retry-After, doubled each time, with jitter (default 500 ms). */
  baseDelayMs?: number;
  /** Longest wait between two attempts, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

const UNSAFE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * A fetch that retries 429 and 5xx answers and network failures, waiting as `Retry-After` says (else an
 * exponential backoff with jitter). Every POST gets an `Idempotency-Key` (a new UUID unless the caller set one)
 * that its retries repeat, so that a retried send never sends twice: the gateway replays the first answer.
 */
export function retryingFetch(base: typeof fetch = fetch, options: RetryOptions = {}): typeof fetch {
  const retries = options.retries ?? 3;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
      request.headers.set('idempotency-key', crypto.randomUUID());
    }
    // Without an Idempotency-Key only reads are retried: a write may have been applied before the failure.
    const retriable = !UNSAFE.has(request.method) || request.headers.has('idempotency-key');
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries || !retriable;
      let response: Response;
      try {
        response = await base(request.clone());
      } catch (error) {
        if (last) throw error;
        await sleep(backoff(attempt, baseDelay, maxDelay));
        continue;
      }
      if (last || (response.status !== 429 && response.status < 500)) return response;
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff(attempt, baseDelay, maxDelay);
      await response.body?.cancel();
      await sleep(Math.min(wait, maxDelay));
    }
  };
}

function backoff(attempt: number, baseDelay: number, maxDelay: number): number {
  return Math.min(baseDelay * 2 ** attempt, maxDelay) * (0.5 + Math.random() / 2);
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}
