import { ApiProperty } from '@nestjs/swagger';
import { SuppressionView } from './suppression.view';

export class SuppressionListView {
  @ApiProperty({ type: [SuppressionView], description: 'Newest first' }) items: SuppressionView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
