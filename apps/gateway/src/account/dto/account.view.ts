import { ApiProperty } from '@nestjs/swagger';
import { ReputationState } from '@postline/contracts';
import { AccountSettingsView } from './account-settings.view';

/** `GET|PATCH /account`. */
export class AccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'elipackage' }) name: string;
  @ApiProperty({ example: 'owner', description: 'The operator whose API key made the call' }) operator: string;
  @ApiProperty({ type: AccountSettingsView }) settings: AccountSettingsView;
  @ApiProperty({ type: String, format: 'uri', nullable: true, maxLength: 2048 }) notificationUrl: string | null;
  @ApiProperty({ enum: Object.values(ReputationState) }) reputationState: ReputationState;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
