import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@postline/http';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ListSuppressionsQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 320, description: 'Only this address (is it suppressed, and why?)' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  address?: string;
}
