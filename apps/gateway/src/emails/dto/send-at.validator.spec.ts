import { MAX_SCHEDULE_DAYS, SEND_AT_PAST_TOLERANCE_MS, sendAtProblem } from './send-at.validator';

describe(sendAtProblem.name, () => {
  const now = Date.parse('2026-12-05T12:00:00Z');

  it('accepts a date-time with an offset, in UTC or not, up to the limit ahead', () => {
    expect(sendAtProblem('2026-12-05T13:00:00+01:00', now)).toBeNull();
    expect(sendAtProblem('2026-12-05T12:30:00.250Z', now)).toBeNull();
    expect(sendAtProblem(new Date(now + MAX_SCHEDULE_DAYS * 86_400_000).toISOString(), now)).toBeNull();
  });

  it('accepts a time just past, within the clock-skew tolerance', () => {
    expect(sendAtProblem(new Date(now - SEND_AT_PAST_TOLERANCE_MS + 1000).toISOString(), now)).toBeNull();
  });

  it('refuses a time without an offset, a non-date, an impossible date and a non-string', () => {
    for (const value of [
      '2026-12-05T13:00:00',
      '2026-12-05',
      'tomorrow',
      '2026-02-30T09:00:00Z',
      1764936000000,
      null,
    ]) {
      expect(sendAtProblem(value, now)).toMatch(/ISO 8601 date-time with a time zone offset/);
    }
  });

  it('refuses the past beyond the tolerance and more than 30 days ahead', () => {
    expect(sendAtProblem('2026-12-05T11:58:00Z', now)).toBe('must not be in the past');
    expect(sendAtProblem(new Date(now + (MAX_SCHEDULE_DAYS * 86_400_000 + 1000)).toISOString(), now)).toBe(
      'must be at most 30 days ahead',
    );
  });
});
