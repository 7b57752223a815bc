import { ApiProperty } from '@nestjs/swagger';
import type { BucketCounts } from '../report-shapes';
import { BY_REASON_PROPERTY } from './by-reason';
import { CountsView } from './counts.view';

/** What happened in one bucket: emails accepted then, and milestones reached then (by when they happened). */
export class BucketCountsView extends CountsView implements BucketCounts {
  @ApiProperty({ type: 'integer', description: 'Emails accepted in this bucket.' }) created: number;
  @ApiProperty(BY_REASON_PROPERTY) rejectedByReason: Record<string, number>;
}
