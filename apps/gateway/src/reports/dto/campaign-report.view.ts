import { ApiProperty } from '@nestjs/swagger';
import type { CampaignReport } from '../report-shapes';
import { CampaignHeadlineView } from './campaign-headline.view';
import { SeriesView } from './series.view';

export class CampaignReportView extends CampaignHeadlineView implements CampaignReport {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { DELIVERED: 120, OPEN: 40 },
    description: 'Emails by current status (statuses with none are left out).',
  })
  byStatus: Record<string, number>;

  @ApiProperty({ type: SeriesView }) series: SeriesView;
}
