import { PRE_SEND_TERMINAL } from '@postline/contracts';
import { MILESTONE_COUNTERS, SERIES_COUNTERS } from '@postline/email-ledger';
import type { CsvColumn } from './report-csv';
import { RATE_NAMES } from './report-rates';
import type { BucketCounts, CampaignHeadline, SeriesPoint, SummaryDay } from './report-shapes';

/** One column per rejecting status, so every CSV of a kind has the same header whatever the data. */
const reasonColumns = <T>(reasons: (row: T) => Record<string, number>): CsvColumn<T>[] =>
  [...PRE_SEND_TERMINAL].map((status) => ({
    header: `rejected_${status}`,
    value: (row: T) => reasons(row)[status] ?? 0,
  }));

const bucketColumns = <T extends BucketCounts>(): CsvColumn<T>[] => [
  ...SERIES_COUNTERS.map((c) => ({ header: c, value: (row: T) => row[c] })),
  ...reasonColumns<T>((row) => row.rejectedByReason),
];

export const CAMPAIGN_LIST_COLUMNS: CsvColumn<CampaignHeadline>[] = [
  { header: 'externalId', value: (c) => c.externalId },
  { header: 'total', value: (c) => c.total },
  ...[...MILESTONE_COUNTERS, 'opensTotal' as const, 'clicksTotal' as const].map((k) => ({
    header: k,
    value: (c: CampaignHeadline) => c.counts[k],
  })),
  ...reasonColumns<CampaignHeadline>((c) => c.rejectedByReason),
  ...RATE_NAMES.map((r) => ({ header: r, value: (c: CampaignHeadline) => c.rates[r] })),
  { header: 'firstActivityAt', value: (c) => c.firstActivityAt },
  { header: 'lastActivityAt', value: (c) => c.lastActivityAt },
];

export const SERIES_COLUMNS: CsvColumn<SeriesPoint>[] = [
  { header: 'at', value: (p) => p.at },
  ...bucketColumns<SeriesPoint>(),
];

export const SUMMARY_COLUMNS: CsvColumn<SummaryDay>[] = [
  { header: 'date', value: (d) => d.date },
  ...bucketColumns<SummaryDay>(),
];
