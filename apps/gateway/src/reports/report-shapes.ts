import type { SeriesCounter } from '@postline/email-ledger';
import type { Granularity } from './report-range';
import type { Rates } from './report-rates';

/** Unique emails per milestone, plus every open and click. */
export type Counts = Record<Exclude<SeriesCounter, 'created'>, number>;

/** One bucket of a series: emails accepted in it (`created`) and the milestones reached in it. */
export type BucketCounts = Record<SeriesCounter, number> & { rejectedByReason: Record<string, number> };

export interface CampaignHeadline {
  externalId: string;
  total: number;
  counts: Counts;
  rejectedByReason: Record<string, number>;
  rates: Rates;
  firstActivityAt: string;
  lastActivityAt: string;
}

export interface CampaignList {
  items: CampaignHeadline[];
  nextCursor: string | null;
}

export interface SeriesPoint extends BucketCounts {
  at: string;
}

export interface Series {
  granularity: Granularity;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface CampaignReport extends CampaignHeadline {
  byStatus: Record<string, number>;
  series: Series;
}

export interface SummaryDay extends BucketCounts {
  date: string;
}

export interface AccountSummary {
  from: string;
  to: string;
  totals: BucketCounts;
  rates: Rates;
  days: SummaryDay[];
}
