import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RevokeApiKeyDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'Revoke even the account’s last usable key (the account can then call nothing until an operator makes a new key).',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
