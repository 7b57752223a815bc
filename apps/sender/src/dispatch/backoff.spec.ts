import { retryDelay } from './backoff';

describe(retryDelay.name, () => {
  it('doubles per attempt, jittered within the upper half of the step', () => {
    expect(retryDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelay(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelay(3, 1000, 60_000, () => 1)).toBe(4000);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelay(30, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('spreads retries of emails that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelay(4, 1000, 60_000)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
