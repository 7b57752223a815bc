import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EmailEventViewDoc } from './email-event.view';
import { EmailViewDoc } from './email.view';

/** OpenAPI shape of `GET /emails/{id}`: the email, its SES message id and its history. */
export class EmailDetailViewDoc extends EmailViewDoc {
  @ApiProperty({ type: String, nullable: true }) sesMessageId: string | null;
  @ApiProperty({ type: 'integer', description: 'Grows with every status change (webhook `sequence`)' })
  sequence: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ type: [EmailEventViewDoc], description: 'Oldest first' }) events: EmailEventViewDoc[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The variables the email is rendered with, when it has any',
  })
  variables?: Record<string, unknown>;
}
