import { ApiProperty } from '@nestjs/swagger';

/** An API key as the support team sees it: never the key, only its prefix. */
export class ApiKeySummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'pl_live_AbCd1234' }) prefix: string;
  @ApiProperty({ example: 'production server', maxLength: 100 }) name: string;
  @ApiProperty({ format: 'uuid' }) operatorId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
}
