import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import {
  CONTENT_TYPE_PATTERN,
  contentError,
  contentTypeError,
  filenameError,
  MAX_ATTACHMENT_BYTES,
  MAX_CONTENT_TYPE_LENGTH,
  MAX_FILENAME_LENGTH,
} from './message-option-rules';
import { SatisfiesRule } from './message-option-validators';

/** One attachment of `POST /emails`: sent as a MIME attachment. */
export class EmailAttachmentDto {
  @ApiProperty({
    example: 'invoice-2026-12.pdf',
    minLength: 1,
    maxLength: MAX_FILENAME_LENGTH,
    pattern: '^[^/\\\\\\u0000-\\u001f\\u007f]+$',
    description:
      "A file name, not a path; no control characters. Executables and scripts (.exe, .bat, .cmd, .com, .js, .vbs, .scr, .jar, .msi, … — SES's unsupported types and a few more) are refused.",
  })
  @SatisfiesRule('attachmentFilename', filenameError)
  @IsDefined({ message: '$property is required' })
  filename: string;

  @ApiProperty({
    example: 'application/pdf',
    maxLength: MAX_CONTENT_TYPE_LENGTH,
    description: `MIME type (type/subtype, ${CONTENT_TYPE_PATTERN}). Executable and script types are refused.`,
  })
  @SatisfiesRule('attachmentContentType', contentTypeError)
  @IsDefined({ message: '$property is required' })
  contentType: string;

  @ApiProperty({
    example: 'JVBERi0xLjQK',
    format: 'byte',
    minLength: 1,
    description: `The file, base64 (RFC 4648, padded, no line breaks); at most ${MAX_ATTACHMENT_BYTES} bytes decoded. Windows and ELF executables are refused whatever their name.`,
  })
  @SatisfiesRule('attachmentContent', contentError)
  @IsDefined({ message: '$property is required' })
  content: string;
}
