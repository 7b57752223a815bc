import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsTagFilter, TAG_FILTER_PATTERN, type TagFilter, toTagFilter } from '../../emails/dto/tag-filter';

const TAG_DESCRIPTION =
  "Only the account's emails carrying this tag, `name:value`. Counted from the tagged emails rather than the counters, so it costs in proportion to them.";

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

  @ApiPropertyOptional({
    type: String,
    maxLength: 513,
    example: 'segment:vip',
    description: `${TAG_DESCRIPTION} SES tag rules on both parts: ${TAG_FILTER_PATTERN}.`,
  })
  @IsOptional()
  @Transform(toTagFilter)
  @IsTagFilter()
  tag?: TagFilter;
}
