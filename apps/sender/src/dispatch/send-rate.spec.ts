import { limiterFor } from './send-rate';

describe(limiterFor.name, () => {
  it('allows the rate per second, rounded down', () => {
    expect(limiterFor(14)).toEqual({ max: 14, duration: 1000 });
    expect(limiterFor(14.9)).toEqual({ max: 14, duration: 1000 });
  });

  it('spreads rates below one per second over a longer window', () => {
    expect(limiterFor(0.5)).toEqual({ max: 1, duration: 2000 });
    expect(limiterFor(0.3)).toEqual({ max: 1, duration: 3334 });
  });
});
