import {
  decideReputation,
  DEFAULT_REPUTATION_THRESHOLDS,
  isSimulatorRecipient,
  reachesPercent,
  reputationNotificationType,
  type ReputationRules,
  windowStartOf,
} from './reputation';

const rules: ReputationRules = {
  windowHours: 168,
  minVolume: 100,
  thresholds: DEFAULT_REPUTATION_THRESHOLDS,
  countSimulator: false,
};

describe(decideReputation.name, () => {
  it.each([
    ['bounce just under warning', 10_000, 249, 0, 'HEALTHY'],
    ['bounce exactly at warning', 10_000, 250, 0, 'WARNING'],
    ['bounce just under block', 10_000, 499, 0, 'WARNING'],
    ['bounce exactly at block', 10_000, 500, 0, 'BLOCKED'],
    ['complaint just under warning', 10_000, 0, 4, 'HEALTHY'],
    ['complaint exactly at warning', 10_000, 0, 5, 'WARNING'],
    ['complaint just under block', 10_000, 0, 9, 'WARNING'],
    ['complaint exactly at block', 10_000, 0, 10, 'BLOCKED'],
    ['bounce at block with 100 sent', 100, 5, 0, 'BLOCKED'],
    ['bounce 4.99 % at 1,000,000 sent', 1_000_000, 49_999, 0, 'WARNING'],
  ])('%s → %s', (_name, sent, hardBounces, complaints, expected) => {
    expect(decideReputation('HEALTHY', { sent, hardBounces, complaints }, rules).state).toBe(expected);
  });

  it('does not evaluate below the minimum volume, and reports it', () => {
    const sut = decideReputation('WARNING', { sent: 99, hardBounces: 50, complaints: 50 }, rules);
    expect(sut).toEqual({ state: 'HEALTHY', reason: 'below the minimum volume (99 of 100 sent)', evaluated: false });
    expect(decideReputation('HEALTHY', { sent: 100, hardBounces: 3, complaints: 0 }, rules).state).toBe('WARNING');
  });

  it('keeps a block even when the rates are healthy again', () => {
    expect(decideReputation('BLOCKED', { sent: 10_000, hardBounces: 0, complaints: 0 }, rules).state).toBe('BLOCKED');
  });

  it('names every threshold reached in the reason', () => {
    const sut = decideReputation('HEALTHY', { sent: 10_000, hardBounces: 300, complaints: 5 }, rules);
    expect(sut.reason).toBe('bounce rate 3 % ≥ 2.5 %; complaint rate 0.05 % ≥ 0.05 %');
    expect(sut.state).toBe('WARNING');
  });

  it('follows configured thresholds', () => {
    const strict = {
      ...rules,
      thresholds: { bounce: { warning: 1, block: 2 }, complaint: { warning: 0.01, block: 0.02 } },
    };
    expect(decideReputation('HEALTHY', { sent: 1000, hardBounces: 20, complaints: 0 }, strict).state).toBe('BLOCKED');
    expect(decideReputation('HEALTHY', { sent: 10_000, hardBounces: 0, complaints: 1 }, strict).state).toBe('WARNING');
  });
});

describe(reachesPercent.name, () => {
  it('decides exactly at the boundary where floating point would not', () => {
    expect((29 / 100) * 100 >= 29).toBe(false); // what a floating-point comparison would conclude
    expect(reachesPercent(29, 100, 29)).toBe(true);
    expect(reachesPercent(3, 60, 5)).toBe(true);
    expect(reachesPercent(1, 3, 33.333333)).toBe(true);
    expect(reachesPercent(1, 3, 33.333334)).toBe(false);
    expect(reachesPercent(1, 0, 0)).toBe(false);
  });
});

describe(windowStartOf.name, () => {
  it('holds the current hour and the hours before it', () => {
    expect(windowStartOf(new Date('2026-03-10T12:34:56Z'), 168).toISOString()).toBe('2026-03-03T13:00:00.000Z');
    expect(windowStartOf(new Date('2026-03-10T12:00:00Z'), 1).toISOString()).toBe('2026-03-10T12:00:00.000Z');
  });
});

describe(reputationNotificationType.name, () => {
  it('maps each change to its notification', () => {
    expect(reputationNotificationType('HEALTHY', 'WARNING')).toBe('account.reputation.warning');
    expect(reputationNotificationType('WARNING', 'BLOCKED')).toBe('account.reputation.blocked');
    expect(reputationNotificationType('BLOCKED', 'HEALTHY')).toBe('account.reputation.unblocked');
    expect(reputationNotificationType('WARNING', 'HEALTHY')).toBe('account.reputation.recovered');
  });
});

describe(isSimulatorRecipient.name, () => {
  it('recognises the SES mailbox simulator, labels and case included', () => {
    expect(isSimulatorRecipient('bounce+x@Simulator.AmazonSES.com')).toBe(true);
    expect(isSimulatorRecipient('someone@simulator.amazonses.com.evil.test')).toBe(false);
  });
});
