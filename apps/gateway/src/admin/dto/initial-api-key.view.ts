import { ApiProperty } from '@nestjs/swagger';

/** The first key of an account made with it (`POST /admin/accounts`). */
export class InitialApiKeyView {
  @ApiProperty({ example: 'pl_live_AbCd1234_…', description: 'The key itself: shown once, only its hash is kept' })
  key: string;
  @ApiProperty({ example: 'pl_live_AbCd1234' }) prefix: string;
  @ApiProperty() note: string;
}
