import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@postline/http';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

// Not given to the document as a `pattern`: clients (and the fuzz test) read the description instead.
const STATES = /^(HEALTHY|WARNING|BLOCKED)(,(HEALTHY|WARNING|BLOCKED)){0,2}$/;

export class ListAccountsQuery extends PageQuery {
  @ApiPropertyOptional({
    maxLength: 30,
    example: 'WARNING,BLOCKED',
    description: 'Only accounts in these reputation states (comma-separated): `WARNING,BLOCKED` is the review queue',
  })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  @Matches(STATES, { message: 'state must be HEALTHY, WARNING or BLOCKED, or several of them comma-separated' })
  state?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Only accounts whose name starts with this' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}
