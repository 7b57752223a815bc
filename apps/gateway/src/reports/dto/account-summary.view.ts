import { ApiProperty } from '@nestjs/swagger';
import type { AccountSummary } from '../report-shapes';
import { BucketCountsView } from './bucket-counts.view';
import { RatesView } from './rates.view';
import { SummaryDayView } from './summary-day.view';

export class AccountSummaryView implements AccountSummary {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date', description: 'Inclusive.' }) to: string;
  @ApiProperty({ type: BucketCountsView, description: 'The days added up.' }) totals: BucketCountsView;
  @ApiProperty({ type: RatesView, description: 'Rates of the totals.' }) rates: RatesView;
  @ApiProperty({ type: [SummaryDayView], description: 'Every day of the range, empty ones included.' })
  days: SummaryDayView[];
}
