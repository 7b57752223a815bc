import { computeRates, describeRate, RATE_NAMES } from './report-rates';

const zero = {
  sent: 0,
  delivered: 0,
  opened: 0,
  clicked: 0,
  softBounced: 0,
  hardBounced: 0,
  complained: 0,
  unsubscribed: 0,
};

describe('computeRates', () => {
  it('gives null, not 0 or NaN, for every rate of an empty campaign', () => {
    expect(computeRates(zero)).toEqual(Object.fromEntries(RATE_NAMES.map((n) => [n, null])));
  });

  it('divides bounces and complaints by sent, engagement by delivered', () => {
    const sut = computeRates({
      sent: 200,
      delivered: 160,
      opened: 80,
      clicked: 40,
      softBounced: 10,
      hardBounced: 6,
      complained: 1,
      unsubscribed: 4,
    });
    expect(sut).toEqual({
      deliveryRate: 0.8,
      hardBounceRate: 0.03,
      softBounceRate: 0.05,
      complaintRate: 0.005,
      openRate: 0.5,
      clickRate: 0.25,
      unsubscribeRate: 0.025,
    });
  });

  it('keeps engagement rates null while nothing is delivered even if emails were sent', () => {
    const sut = computeRates({ ...zero, sent: 10, hardBounced: 10 });
    expect(sut).toMatchObject({
      deliveryRate: 0,
      hardBounceRate: 1,
      openRate: null,
      clickRate: null,
      unsubscribeRate: null,
    });
  });

  it('rounds to 6 decimals so small complaint rates stay visible', () => {
    expect(computeRates({ ...zero, sent: 30_000, complained: 7 }).complaintRate).toBe(0.000233);
  });

  it('documents every rate with its denominator', () => {
    expect(describeRate('openRate')).toMatch(/^opened \/ delivered: .*null when delivered is 0/);
    expect(describeRate('complaintRate')).toMatch(/^complained \/ sent/);
  });
});
