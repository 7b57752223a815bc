import { ApiProperty } from '@nestjs/swagger';
import { GRANULARITIES, type Granularity } from '../report-range';
import type { Series } from '../report-shapes';
import { SeriesPointView } from './series-point.view';

export class SeriesView implements Series {
  @ApiProperty({ enum: GRANULARITIES }) granularity: Granularity;
  @ApiProperty({ format: 'date-time', description: 'Start of the first bucket.' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the last bucket (inclusive).' }) to: string;
  @ApiProperty({ type: [SeriesPointView], description: 'Every bucket of the range, in order, empty ones included.' })
  points: SeriesPointView[];
}
