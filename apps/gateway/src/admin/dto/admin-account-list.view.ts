import { ApiProperty } from '@nestjs/swagger';
import { ReputationState } from '@postline/contracts';

/** One account in the operators' list: enough to triage it, the rest is `GET /admin/accounts/{id}`. */
export class AdminAccountSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'elipackage' }) name: string;
  @ApiProperty({ enum: Object.values(ReputationState) }) reputationState: ReputationState;
  @ApiProperty({ type: String, nullable: true }) reputationReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) blockedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AdminAccountListView {
  @ApiProperty({ type: [AdminAccountSummaryView], description: 'Newest first' }) items: AdminAccountSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
