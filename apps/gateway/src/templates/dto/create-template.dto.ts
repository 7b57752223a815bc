import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, NO_HEADER_BREAKERS } from '../../emails/dto/send-email.dto';
import { NoHeaderBreakers } from '../../emails/dto/validators';

const MAX_TEMPLATE_NAME = 200;
const MAX_SUBJECT_LENGTH = 998;

/** `POST /templates`: a subject and at least one of html and text, with Handlebars placeholders. */
export class CreateTemplateDto {
  @ApiProperty({ example: 'welcome', minLength: 1, maxLength: MAX_TEMPLATE_NAME })
  @MaxLength(MAX_TEMPLATE_NAME)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  name: string;

  @ApiProperty({
    example: 'Welcome, {{firstName}}',
    minLength: 1,
    maxLength: MAX_SUBJECT_LENGTH,
    pattern: NO_HEADER_BREAKERS,
  })
  @NoHeaderBreakers()
  @MaxLength(MAX_SUBJECT_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  subject: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_TEXT_LENGTH,
    example: '<p>Hello {{firstName}}, your order {{order.id}} is on its way.</p>',
    description: 'HTML body; `{{var}}` is HTML-escaped, `{{{var}}}` inserts it as is.',
  })
  @MaxLength(MAX_TEXT_LENGTH)
  @IsString()
  @IsOptional()
  html?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_TEXT_LENGTH,
    example: 'Hello {{firstName}}, your order {{order.id}} is on its way.',
    description: 'Plain-text body (generated from html when absent).',
  })
  @MaxLength(MAX_TEXT_LENGTH)
  @IsString()
  @IsOptional()
  text?: string | null;
}
