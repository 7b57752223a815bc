/**
 * Exponential backoff with "equal jitter": half the exponential step is kept, the other half is random, so
 * emails throttled together spread out instead of retrying in lockstep, yet never retry at once.
 * `attempt` is the number of the attempt that just failed (1-based).
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
