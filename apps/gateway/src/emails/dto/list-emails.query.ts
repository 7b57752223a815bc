import { ApiPropertyOptional } from '@nestjs/swagger';
import { EMAIL_STATUSES, type EmailStatus } from '@postline/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListEmailsQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) externalId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) clientId?: string;
  @ApiPropertyOptional({ enum: EMAIL_STATUSES }) @IsOptional() @IsIn(EMAIL_STATUSES) status?: EmailStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(320) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(320) from?: string;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;
}
