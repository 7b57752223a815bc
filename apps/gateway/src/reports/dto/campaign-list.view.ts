import { ApiProperty } from '@nestjs/swagger';
import type { CampaignList } from '../report-shapes';
import { CampaignHeadlineView } from './campaign-headline.view';

export class CampaignListView implements CampaignList {
  @ApiProperty({ type: [CampaignHeadlineView] }) items: CampaignHeadlineView[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor: string | null;
}
