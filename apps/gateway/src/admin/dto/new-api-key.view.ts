import { ApiProperty } from '@nestjs/swagger';

export class NewApiKeyView {
  @ApiProperty({ example: 'pl_live_AbCd1234_…', description: 'The key itself: shown once, only its hash is kept' })
  key: string;
  @ApiProperty({ example: 'pl_live_AbCd1234' }) prefix: string;
  @ApiProperty() note: string;
}
