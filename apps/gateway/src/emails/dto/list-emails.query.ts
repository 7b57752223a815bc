import { ApiPropertyOptional } from '@nestjs/swagger';
import { EMAIL_STATUSES, type EmailStatus } from '@postline/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '@postline/http';
import { type TagFilter, TagFilterParam } from './tag-filter';

export class ListEmailsQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 255 }) @IsOptional() @IsString() @MaxLength(255) externalId?: string;
  @ApiPropertyOptional({ maxLength: 255 }) @IsOptional() @IsString() @MaxLength(255) clientId?: string;
  @ApiPropertyOptional({ enum: EMAIL_STATUSES }) @IsOptional() @IsIn(EMAIL_STATUSES) status?: EmailStatus;
  @ApiPropertyOptional({ maxLength: 320, description: 'Recipient address' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;

  @ApiPropertyOptional({ maxLength: 320, description: 'Sender address' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  from?: string;

  @ApiPropertyOptional({
    maxLength: 40,
    example: '2026-12-01',
    description:
      'Only emails accepted at or after this instant: ISO 8601 date or date-time, UTC unless an offset is given',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  since?: string;

  @ApiPropertyOptional({
    maxLength: 40,
    example: '2026-12-02T00:00:00Z',
    description: 'Only emails accepted before this instant (exclusive), as `since`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  until?: string;

  @TagFilterParam('Emails with this tag: `name:value`', 'campaign:winter-sale')
  tag?: TagFilter;
}
