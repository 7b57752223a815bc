import { ApiProperty } from '@nestjs/swagger';
import type { SummaryDay } from '../report-shapes';
import { BucketCountsView } from './bucket-counts.view';

export class SummaryDayView extends BucketCountsView implements SummaryDay {
  @ApiProperty({ format: 'date', description: 'The UTC day.' }) date: string;
}
