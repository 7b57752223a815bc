import { ApiProperty } from '@nestjs/swagger';
import type { CampaignHeadline } from '../report-shapes';
import { BY_REASON_PROPERTY } from './by-reason';
import { CountsView } from './counts.view';
import { RatesView } from './rates.view';

export class CampaignHeadlineView implements CampaignHeadline {
  @ApiProperty({ description: 'The externalId the emails of the campaign share.' }) externalId: string;
  @ApiProperty({ type: 'integer', description: 'Emails accepted in the campaign, whatever became of them.' })
  total: number;
  @ApiProperty({ type: CountsView }) counts: CountsView;
  @ApiProperty(BY_REASON_PROPERTY) rejectedByReason: Record<string, number>;
  @ApiProperty({ type: RatesView }) rates: RatesView;
  @ApiProperty({ format: 'date-time' }) firstActivityAt: string;
  @ApiProperty({
    format: 'date-time',
    description: 'When the latest status change, milestone, open or click happened.',
  })
  lastActivityAt: string;
}
