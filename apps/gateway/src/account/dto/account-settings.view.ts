import { ApiPropertyOptional } from '@nestjs/swagger';

export class AccountSettingsView {
  @ApiPropertyOptional({
    description: 'Role recipients (postmaster@, abuse@, …) are accepted; refused as BAD_TO by default',
  })
  allowRoleAddresses?: boolean;

  @ApiPropertyOptional({ description: "Opens are tracked unless false (an email's tracking.opens overrides it)" })
  trackOpens?: boolean;

  @ApiPropertyOptional({ description: "Clicks are tracked unless false (an email's tracking.clicks overrides it)" })
  trackClicks?: boolean;

  @ApiPropertyOptional({ description: 'Recipient domain check (MX) for this account' })
  mxCheck?: boolean;
}
