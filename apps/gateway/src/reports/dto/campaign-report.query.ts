import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { type TagFilter, TagFilterParam } from '../../emails/dto/tag-filter';
import { GRANULARITIES, type Granularity } from '../report-range';

export class CampaignReportQuery {
  @ApiPropertyOptional({
    maxLength: 40,
    example: '2026-12-01',
    description:
      'ISO 8601 date or date-time (UTC unless an offset is given); the series starts with the bucket holding it. Default: the first activity.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    maxLength: 40,
    example: '2026-12-05T12:00:00Z',
    description: 'The series ends with the bucket holding it (inclusive). Default: the last activity.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({
    enum: GRANULARITIES,
    description: 'Default: hour for a range of up to 7 days, else day. At most 744 hours or 400 days.',
  })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;

  @TagFilterParam(
    "Only the campaign's emails carrying this tag, `name:value`, counted from those emails rather than the counters, so it costs in proportion to them",
    'segment:vip',
  )
  tag?: TagFilter;
}
