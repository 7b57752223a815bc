import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { type TagFilter, TagFilterParam } from '../../emails/dto/tag-filter';

export class SummaryQuery {
  @ApiPropertyOptional({
    format: 'date',
    maxLength: 40,
    description: 'First UTC day (inclusive). Default: 29 days before `to`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({
    format: 'date',
    maxLength: 40,
    description: 'Last UTC day (inclusive). Default: today. At most 400 days.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @TagFilterParam(
    "Only the account's emails carrying this tag, `name:value`, counted from those emails rather than the counters, so it costs in proportion to them",
    'segment:vip',
  )
  tag?: TagFilter;
}
