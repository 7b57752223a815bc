import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsUrl, MaxLength, ValidateIf, ValidateNested } from 'class-validator';

// Absent leaves a field as it is; null is not a value of these fields (IsOptional would let it through).
const unlessAbsent = ValidateIf((_o, v) => v !== undefined);

export class AccountSettingsDto {
  @ApiPropertyOptional({ description: 'Allow role recipients (postmaster@, abuse@, …), refused as BAD_TO by default.' })
  @unlessAbsent
  @IsBoolean()
  allowRoleAddresses?: boolean;

  @ApiPropertyOptional({
    description: "Track opens of this account's emails (default true); an email's tracking.opens overrides it.",
  })
  @unlessAbsent
  @IsBoolean()
  trackOpens?: boolean;

  @ApiPropertyOptional({
    description: "Track clicks in this account's emails (default true); an email's tracking.clicks overrides it.",
  })
  @unlessAbsent
  @IsBoolean()
  trackClicks?: boolean;
}

export class UpdateAccountDto {
  @ApiPropertyOptional({
    example: 'https://example.com/postline/account',
    type: String,
    format: 'uri',
    pattern: '^https?://',
    maxLength: 2048,
    nullable: true,
    description: 'Where account-level notifications (reputation) are POSTed; null removes it.',
  })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  notificationUrl?: string | null;

  @ApiPropertyOptional({ type: AccountSettingsDto })
  @unlessAbsent
  @IsObject({ message: 'settings must be an object' })
  @ValidateNested()
  @Type(() => AccountSettingsDto)
  settings?: AccountSettingsDto;
}
