import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AttachmentView, DroppedRecipient, MessageOptionsView } from '../message-options-view';

export class AttachmentViewDoc implements AttachmentView {
  @ApiProperty({ example: 'invoice.pdf' }) filename: string;
  @ApiProperty({ example: 'application/pdf' }) contentType: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Decoded size in bytes' }) size: number;
}

export class DroppedRecipientDoc implements DroppedRecipient {
  @ApiProperty({ format: 'email' }) address: string;
  @ApiProperty({ enum: ['cc', 'bcc'] }) field: 'cc' | 'bcc';
  @ApiProperty({ example: "on the account's suppression list (HARD_BOUNCE)" }) reason: string;
}

export class TagViewDoc {
  @ApiProperty({ example: 'campaign' }) name: string;
  @ApiProperty({ example: 'winter-sale' }) value: string;
}

export class TrackingViewDoc {
  @ApiPropertyOptional() opens?: boolean;
  @ApiPropertyOptional() clicks?: boolean;
}

/** OpenAPI shape of the message options of an email (each field present only when set). */
export class MessageOptionsViewDoc implements MessageOptionsView {
  @ApiPropertyOptional({ maxLength: 256 }) fromName?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'email' } }) cc?: string[];
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'email' } }) bcc?: string[];
  @ApiPropertyOptional({ type: 'array', items: { type: 'string', format: 'email' } }) replyTo?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } } as never)
  headers?: Record<string, string>;
  @ApiPropertyOptional({ type: [TagViewDoc] }) tags?: { name: string; value: string }[];
  @ApiPropertyOptional({ type: TrackingViewDoc }) tracking?: { opens?: boolean; clicks?: boolean };
  @ApiPropertyOptional({ type: [AttachmentViewDoc] }) attachments?: AttachmentView[];
  @ApiPropertyOptional({
    type: [DroppedRecipientDoc],
    description:
      'cc and bcc recipients left out because they are on the suppression list; the email went to the others.',
  })
  droppedRecipients?: DroppedRecipient[];
}
