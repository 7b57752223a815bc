/** BullMQ limiter settings (per queue, in Redis: shared by every replica). */
export interface Limiter {
  max: number;
  duration: number;
}

/**
 * The limiter for a rate in emails per second, never above it: a whole number per second, or one email per
 * longer window for rates below 1/s.
 */
export function limiterFor(ratePerSecond: number): Limiter {
  if (ratePerSecond >= 1) return { max: Math.floor(ratePerSecond), duration: 1000 };
  return { max: 1, duration: Math.ceil(1000 / ratePerSecond) };
}
