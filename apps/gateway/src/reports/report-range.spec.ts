import { ApiError } from '@postline/http';
import { parseInstant, resolveRange } from './report-range';

const d = (iso: string) => new Date(iso);
const campaign = { from: d('2026-03-01T10:20:00Z'), to: d('2026-03-02T08:05:00Z') };

describe('resolveRange', () => {
  it('defaults to the campaign life, by hour when it is a week or less', () => {
    expect(resolveRange({}, campaign)).toEqual({
      granularity: 'hour',
      from: d('2026-03-01T10:00:00Z'),
      to: d('2026-03-02T08:00:00Z'),
      buckets: 23,
    });
  });

  it('switches to days for a longer life', () => {
    const sut = resolveRange({}, { from: d('2026-03-01T10:00:00Z'), to: d('2026-03-20T01:00:00Z') });
    expect(sut).toEqual({
      granularity: 'day',
      from: d('2026-03-01T00:00:00Z'),
      to: d('2026-03-20T00:00:00Z'),
      buckets: 20,
    });
  });

  it('takes dates and date-times as UTC, both ends inclusive', () => {
    const sut = resolveRange({ from: '2026-03-01', to: '2026-03-03T23:59', granularity: 'day' }, campaign);
    expect(sut).toEqual({
      granularity: 'day',
      from: d('2026-03-01T00:00:00Z'),
      to: d('2026-03-03T00:00:00Z'),
      buckets: 3,
    });
    expect(
      resolveRange(
        { from: '2026-03-01T05:00:00+02:00', to: '2026-03-01T05:00:00+02:00', granularity: 'hour' },
        campaign,
      ).from,
    ).toEqual(d('2026-03-01T03:00:00Z'));
  });

  it('refuses from after to, malformed instants, and an explicit range too long for its granularity', () => {
    expect(() => resolveRange({ from: '2026-03-02', to: '2026-03-01' }, campaign)).toThrow(ApiError);
    expect(() => parseInstant('yesterday', 'from')).toThrow(/from must be an ISO 8601/);
    expect(() => parseInstant('2026-13-45', 'to')).toThrow(ApiError);
    expect(() => resolveRange({ from: '2026-01-01', to: '2026-03-01', granularity: 'hour' }, campaign)).toThrow(
      /at most 744 buckets/,
    );
    expect(
      resolveRange({ from: '2026-01-01', to: '2026-01-31T23:00:00Z', granularity: 'hour' }, campaign).buckets,
    ).toBe(744);
  });

  it('moves a defaulted end so the series fits, keeping what the caller asked for', () => {
    const recent = resolveRange(
      { granularity: 'hour' },
      { from: d('2025-01-01T00:00:00Z'), to: d('2026-03-01T00:00:00Z') },
    );
    expect(recent).toMatchObject({ to: d('2026-03-01T00:00:00Z'), buckets: 744 });
    const early = resolveRange(
      { from: '2025-01-01', granularity: 'hour' },
      { from: d('2025-01-01T00:00:00Z'), to: d('2026-03-01T00:00:00Z') },
    );
    expect(early).toMatchObject({ from: d('2025-01-01T00:00:00Z'), buckets: 744 });
  });

  it('gives one bucket when only a from after the last activity is given', () => {
    expect(resolveRange({ from: '2026-04-01' }, campaign)).toMatchObject({
      granularity: 'hour',
      from: d('2026-04-01T00:00:00Z'),
      buckets: 1,
    });
  });
});
