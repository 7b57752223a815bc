import { ApiProperty } from '@nestjs/swagger';
import { EmailViewDoc } from './email.view';

export class EmailListViewDoc {
  @ApiProperty({ type: [EmailViewDoc], description: 'Newest first' }) items: EmailViewDoc[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last' })
  nextCursor: string | null;
}
