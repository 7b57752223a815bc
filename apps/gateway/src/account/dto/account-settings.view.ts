import { ApiPropertyOptional } from '@nestjs/swagger';

export class AccountSettingsView {
  @ApiPropertyOptional({
    description: 'Role recipients (postmaster@, abuse@, …) are accepted; refused as BAD_TO by default',
  })
  allowRoleAddresses?: boolean;

  @ApiPropertyOptional({ description: 'Recipient domain check (MX) for this account' })
  mxCheck?: boolean;
}
