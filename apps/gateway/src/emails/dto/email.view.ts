import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EMAIL_STATUSES, type EmailStatus } from '@postline/contracts';
import type { EmailView } from '../email-view';
import { MessageOptionsViewDoc } from './message-options.view';

/** OpenAPI shape of an email (EmailView). */
export class EmailViewDoc extends MessageOptionsViewDoc implements EmailView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'email', maxLength: 320, example: 'success@simulator.amazonses.com' }) to: string;
  @ApiProperty({ format: 'email', maxLength: 320, example: 'promo@elipackage.test' }) from: string;
  @ApiProperty({ example: 'elipackage', description: 'The account name' }) userName: string;
  @ApiProperty({ example: 'owner', description: 'The operator (member) whose API key sent it' }) operator: string;
  @ApiProperty({ maxLength: 1_000_000, description: 'Empty for a templated email (rendered by the sender)' })
  text: string;
  @ApiProperty({ enum: EMAIL_STATUSES }) status: EmailStatus;
  @ApiPropertyOptional({ description: 'Why the email was refused, when its status is a refusal' })
  statusReason?: string;
  @ApiProperty({ maxLength: 998 }) subject: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 255 }) externalId: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 255 }) clientId: string | null;
  @ApiProperty({ type: String, isArray: true, format: 'uri', maxItems: 10 }) callbacks: string[];
  @ApiProperty({ type: String, nullable: true, maxLength: 256 }) alias: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When a scheduled email is (or was) due, in UTC' })
  sendAt?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The template the email is rendered with' })
  templateId?: string;
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The version of the template used (fixed at acceptance)',
  })
  templateVersion?: number;
  @ApiPropertyOptional({ maxLength: 1_000_000, description: 'The inline HTML body, when given beside text' })
  html?: string;
  @ApiPropertyOptional({ type: [String], description: 'Advice about an accepted email (a no-reply sender, …)' })
  warnings?: string[];
}
