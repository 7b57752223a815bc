import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { EmailAttachmentDto } from './email-attachment.dto';
import { EmailTagDto } from './email-tag.dto';
import { EmailTrackingDto } from './email-tracking.dto';
import {
  ALLOWED_HEADERS,
  addressListError,
  attachmentListError,
  displayNameError,
  HEADER_NAME_PATTERN,
  headersError,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MAX_FROM_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS,
  MAX_RECIPIENTS,
  MAX_REPLY_TO,
  MAX_TAGS,
  recipientsError,
  tagListError,
} from './message-option-rules';
import { SatisfiesRule } from './message-option-validators';

const ADDRESS_LIST = { type: 'array', items: { type: 'string', format: 'email', maxLength: 320 } } as const;

/**
 * The message options of `POST /emails` and of each message of `POST /emails/batch` (one validator for
 * both: SendEmailDto extends this class). All optional; rules in message-option-rules.ts.
 */
export class MessageOptionsDto {
  @ApiPropertyOptional({
    example: 'EliPackage',
    maxLength: MAX_FROM_NAME_LENGTH,
    pattern: '^[^\\r\\n\\u0000]*$',
    description: 'Display name of the sender: From: "fromName" <from> (non-ASCII names are RFC 2047-encoded).',
  })
  @SatisfiesRule('fromName', displayNameError)
  @IsOptional()
  fromName?: string;

  @ApiPropertyOptional({
    ...ADDRESS_LIST,
    maxItems: MAX_RECIPIENTS - 1,
    example: ['manager@example.com'],
    description: `Carbon-copy recipients. to, cc and bcc together: at most ${MAX_RECIPIENTS} distinct addresses (SES's limit). A cc or bcc address on the account's suppression list is dropped (listed in droppedRecipients); the email is still sent to the others.`,
  })
  @SatisfiesRule('recipients', (_, o) => recipientsError(o.to, o.cc, o.bcc), false)
  @SatisfiesRule('cc', (v) => addressListError('cc', v, MAX_RECIPIENTS - 1), false)
  @IsOptional()
  cc?: string[];

  @ApiPropertyOptional({
    ...ADDRESS_LIST,
    maxItems: MAX_RECIPIENTS - 1,
    example: ['archive@example.com'],
    description: 'Blind carbon-copy recipients: they receive the message but appear in no header.',
  })
  @SatisfiesRule('recipients', (_, o) => recipientsError(o.to, o.cc, o.bcc), false)
  @SatisfiesRule('bcc', (v) => addressListError('bcc', v, MAX_RECIPIENTS - 1), false)
  @IsOptional()
  bcc?: string[];

  @ApiPropertyOptional({
    ...ADDRESS_LIST,
    maxItems: MAX_REPLY_TO,
    example: ['support@elipackage.test'],
    description: `Reply-To addresses (at most ${MAX_REPLY_TO}).`,
  })
  @SatisfiesRule('replyTo', (v) => addressListError('replyTo', v, MAX_REPLY_TO), false)
  @IsOptional()
  replyTo?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_HEADER_VALUE_LENGTH,
      pattern: '^[\\t\\x20-\\x7e]+$',
    },
    maxProperties: MAX_HEADERS,
    example: { 'X-Campaign-Id': 'winter-2026' },
    description: `Custom headers (at most ${MAX_HEADERS}): X-* (but not X-Postline-* or X-SES-*) and ${ALLOWED_HEADERS.join(', ')}. Names per RFC 5322 (printable ASCII, no colon: ${HEADER_NAME_PATTERN}); values printable ASCII, no CR/LF. From, To, Cc, Subject, Reply-To, Message-ID, Date, List-Unsubscribe and every other header are Postline's.`,
  } as never)
  @SatisfiesRule('headers', headersError, false)
  @IsObject()
  @IsOptional()
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    type: [EmailTagDto],
    maxItems: MAX_TAGS,
    description: `Name/value pairs (at most ${MAX_TAGS}, distinct names; SES EmailTags rules: ASCII letters, digits, _ and -, 1 to 256 characters). Passed to SES, kept with the email, echoed in callbacks, filterable with GET /emails?tag=name:value.`,
  })
  @ValidateNested({ each: true })
  @Type(() => EmailTagDto)
  @SatisfiesRule('tags', tagListError, false)
  @IsOptional()
  tags?: EmailTagDto[];

  @ApiPropertyOptional({
    type: [EmailAttachmentDto],
    maxItems: MAX_ATTACHMENTS,
    description: `Files sent as MIME attachments: at most ${MAX_ATTACHMENTS}, ${MAX_ATTACHMENT_BYTES} bytes decoded together (the request body is limited by MAX_BODY_BYTES, 16 MiB by default).`,
  })
  @ValidateNested({ each: true })
  @Type(() => EmailAttachmentDto)
  @SatisfiesRule('attachments', attachmentListError, false)
  @IsOptional()
  attachments?: EmailAttachmentDto[];

  @ApiPropertyOptional({
    type: EmailTrackingDto,
    description: 'Open and click tracking of this message; what is left out stays tracked (the default).',
  })
  @ValidateNested()
  @Type(() => EmailTrackingDto)
  @IsObject()
  @IsOptional()
  tracking?: EmailTrackingDto;
}
