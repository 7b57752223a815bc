import { ApiProperty } from '@nestjs/swagger';
import type { SeriesPoint } from '../report-shapes';
import { BucketCountsView } from './bucket-counts.view';

export class SeriesPointView extends BucketCountsView implements SeriesPoint {
  @ApiProperty({ format: 'date-time', description: 'Start of the bucket (UTC).' }) at: string;
}
