import { ApiProperty } from '@nestjs/swagger';
import { EMAIL_STATUSES } from '@postline/contracts';

/** OpenAPI shape of one event of an email's history. */
export class EmailEventViewDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Delivery', description: 'SES eventType or the internal step (Accepted, Dequeued, …)' })
  type: string;
  @ApiProperty({ example: 'SES', description: 'GATEWAY, SENDER, SES or UNSUBSCRIBE' }) source: string;
  @ApiProperty({ enum: EMAIL_STATUSES, description: 'The status this event maps to' })
  status: string;
  @ApiProperty({ enum: EMAIL_STATUSES, nullable: true, description: 'Set when it moved the email' })
  previousStatus: string | null;
  @ApiProperty({ enum: EMAIL_STATUSES, nullable: true }) newStatus: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) sequence: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What the source reported' })
  details: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}
