import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

export class RegenerateApiKeyDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Expiry of the new key; omitted: the old key’s expiry if it is still ahead, else none.',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;
}
