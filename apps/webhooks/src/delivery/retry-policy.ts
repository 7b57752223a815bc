/** When the next attempt happens, or that there is none: from the schedule, Retry-After and jitter. */
export interface RetryPolicyOptions {
  /** Seconds before retry 1, 2, …; its length is the number of retries. */
  scheduleSeconds: readonly number[];
  jitter: number;
  retryAfterMaxSeconds: number;
  random?: () => number;
}

export function parseSchedule(text: string): number[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its day or month; anything else (a negative number, junk) is ignored.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export class RetryPolicy {
  private readonly random: () => number;

  constructor(private readonly options: RetryPolicyOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Attempts a delivery gets before it is EXHAUSTED: the first one plus one per schedule entry. */
  get maxAttempts(): number {
    return this.options.scheduleSeconds.length + 1;
  }

  /**
   * Milliseconds until the attempt after attempt number `attempt` (1-based) failed, or undefined when that was
   * the last. A Retry-After (429/503) replaces the scheduled delay, up to the configured cap.
   */
  delayAfter(attempt: number, retryAfterMs?: number): number | undefined {
    const scheduled = this.options.scheduleSeconds[attempt - 1];
    if (scheduled === undefined) return undefined;
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.options.retryAfterMaxSeconds * 1000);
    const spread = 1 + (this.random() * 2 - 1) * this.options.jitter;
    return Math.max(0, Math.round(scheduled * 1000 * spread));
  }
}
