import { parseRetryAfter, parseSchedule, RetryPolicy } from './retry-policy';

describe(RetryPolicy.name, () => {
  const schedule = parseSchedule('5,300,1800,7200,18000,36000,36000');

  it('follows the schedule and ends after its last entry', () => {
    const sut = new RetryPolicy({ scheduleSeconds: schedule, jitter: 0, retryAfterMaxSeconds: 36000 });
    expect(sut.maxAttempts).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => sut.delayAfter(n))).toEqual(
      [5, 300, 1800, 7200, 18000, 36000, 36000].map((s) => s * 1000),
    );
    expect(sut.delayAfter(8)).toBeUndefined();
  });

  it('spreads each delay by the jitter fraction either way', () => {
    const low = new RetryPolicy({ scheduleSeconds: schedule, jitter: 0.2, retryAfterMaxSeconds: 0, random: () => 0 });
    const high = new RetryPolicy({
      scheduleSeconds: schedule,
      jitter: 0.2,
      retryAfterMaxSeconds: 0,
      random: () => 0.999999,
    });
    expect(low.delayAfter(2)).toBe(240_000);
    expect(high.delayAfter(2)).toBe(360_000);
  });

  it('uses Retry-After instead of the schedule, capped', () => {
    const sut = new RetryPolicy({ scheduleSeconds: schedule, jitter: 0.2, retryAfterMaxSeconds: 60 });
    expect(sut.delayAfter(1, 30_000)).toBe(30_000);
    expect(sut.delayAfter(1, 3_600_000)).toBe(60_000);
    expect(sut.delayAfter(8, 1_000)).toBeUndefined();
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe(parseSchedule.name, () => {
  it('reads seconds separated by commas, fractions included', () => {
    expect(parseSchedule(' 0.2, 1 ,30')).toEqual([0.2, 1, 30]);
  });
});
