import { ApiProperty } from '@nestjs/swagger';

export class SuppressionView {
  @ApiProperty({ format: 'email', example: 'someone@example.com', description: 'Lower-cased' }) address: string;
  @ApiProperty({ enum: ['HARD_BOUNCE', 'COMPLAINT', 'UNSUBSCRIBE', 'MANUAL'] })
  reason: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The email that caused it' })
  emailId: string | null;
  @ApiProperty({ type: String, nullable: true }) detail: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}
