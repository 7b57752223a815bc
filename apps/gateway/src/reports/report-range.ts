import { ApiError } from '@postline/http';

export const GRANULARITIES = ['hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const STEP_MS: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };
/** Longest series one request returns: 31 days of hours, 400 days. */
const MAX_BUCKETS: Record<Granularity, number> = { hour: 744, day: 400 };
/** Without `granularity`, spans up to this many hours are shown by hour, longer ones by day. */
const HOURLY_UP_TO_MS = 7 * 24 * STEP_MS.hour;

/** Buckets from the one holding `from` through the one holding `to`, both inclusive (bucket starts, UTC). */
export interface SeriesRange {
  granularity: Granularity;
  from: Date;
  to: Date;
  buckets: number;
}

/** An ISO 8601 date or date-time; without an offset it is UTC. */
export function parseInstant(value: string, field: string): Date {
  const withZone = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(withZone)
    ? new Date(withZone)
    : new Date(NaN);
  if (Number.isNaN(at.getTime()))
    throw ApiError.validation([{ field, message: `${field} must be an ISO 8601 date or date-time` }]);
  return at;
}

function floorTo(at: Date, granularity: Granularity): Date {
  const step = STEP_MS[granularity];
  return new Date(Math.floor(at.getTime() / step) * step);
}

/**
 * Resolves `from` / `to` / `granularity` against defaults (a campaign's first and last activity, or the last
 * 30 days). A range the caller spelled out in full must fit MAX_BUCKETS; a defaulted end is moved to fit.
 */
export function resolveRange(
  query: { from?: string; to?: string; granularity?: Granularity },
  defaults: { from: Date; to: Date },
): SeriesRange {
  const explicitFrom = query.from === undefined ? undefined : parseInstant(query.from, 'from');
  const explicitTo = query.to === undefined ? undefined : parseInstant(query.to, 'to');
  if (explicitFrom && explicitTo && explicitFrom > explicitTo) {
    throw ApiError.validation([{ field: 'from', message: 'from must not be after to' }]);
  }
  let lo = explicitFrom ?? defaults.from;
  let hi = explicitTo ?? defaults.to;
  if (lo > hi) {
    if (explicitFrom) hi = lo;
    else lo = hi;
  }
  const granularity = query.granularity ?? (hi.getTime() - lo.getTime() <= HOURLY_UP_TO_MS ? 'hour' : 'day');
  const step = STEP_MS[granularity];
  let from = floorTo(lo, granularity);
  let to = floorTo(hi, granularity);
  const max = MAX_BUCKETS[granularity];
  if ((to.getTime() - from.getTime()) / step + 1 > max) {
    if (explicitFrom && explicitTo) {
      throw ApiError.validation([
        {
          field: 'to',
          message: `at most ${max} buckets of one ${granularity} per request${granularity === 'hour' ? '; use granularity=day' : ''}`,
        },
      ]);
    }
    // Keep the end the caller chose; otherwise keep the most recent buckets.
    if (explicitFrom) to = new Date(from.getTime() + (max - 1) * step);
    else from = new Date(to.getTime() - (max - 1) * step);
  }
  return { granularity, from, to, buckets: (to.getTime() - from.getTime()) / step + 1 };
}
