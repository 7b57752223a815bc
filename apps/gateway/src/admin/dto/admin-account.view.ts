import { ApiProperty } from '@nestjs/swagger';
import { ReputationState } from '@postline/contracts';
import { AccountSettingsView } from '../../account/dto/account-settings.view';
import { ApiKeySummaryView } from './api-key-summary.view';
import { OperatorDetailView } from './operator-detail.view';
import { SenderSummaryView } from './sender-summary.view';

/** `GET /admin/accounts/{id}`: the account with its operators, key prefixes and sender identities. */
export class AdminAccountView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'elipackage' }) name: string;
  @ApiProperty({ enum: Object.values(ReputationState) }) reputationState: ReputationState;
  @ApiProperty({ type: String, nullable: true }) reputationReason: string | null;
  @ApiProperty({ type: AccountSettingsView }) settings: AccountSettingsView;
  @ApiProperty({ type: String, format: 'uri', nullable: true }) notificationUrl: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    description: 'Own requests-per-window limit of each key; null: the default',
  })
  rateLimitPerKey: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    description: 'Own limit of the whole account; null: the default',
  })
  rateLimitPerAccount: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [OperatorDetailView] }) operators: OperatorDetailView[];
  @ApiProperty({ type: [ApiKeySummaryView] }) apiKeys: ApiKeySummaryView[];
  @ApiProperty({ type: [SenderSummaryView] }) senders: SenderSummaryView[];
}
