import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ENCODED_WORD, HEADER_BREAKERS, parseMailbox } from '@postline/contracts';
import { FAST_CHECK, type FastCheck } from '@postline/http';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  isURL,
  IsUUID,
  isUUID,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsSendAt, MAX_SCHEDULE_DAYS, SEND_AT_PATTERN } from './send-at.validator';
import {
  hasTemplate,
  IsVariables,
  NotWithTemplate,
  RequiresTemplate,
  unlessTemplated,
  VARIABLES_SCHEMA,
  variablesProblem,
} from '../../templates/dto/personalization.validators';
import { MessageOptionsDto } from './message-options.dto';
import { IsMailbox, NoEncodedWords, NoHeaderBreakers, toUrlList } from './validators';

export const MAX_TEXT_LENGTH = 1_000_000;
const MAX_CALLBACKS = 10;
const MAX_CALLBACK_LENGTH = 2048;
/** RFC 5322's line limit. */
const MAX_SUBJECT_LENGTH = 998;
const MAX_ID_LENGTH = 255;
const MAX_ALIAS_LENGTH = 256;
/** The OpenAPI pattern of HEADER_BREAKERS: no CR, LF or NUL. */
export const NO_HEADER_BREAKERS = '^[^\\r\\n\\u0000]*$';
// One object for the decorator and the fast check: validator's isURL fills its defaults into it.
const CALLBACK_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/**
 * The body of `POST /emails`, exactly as the product documentation gives it. Decorators run bottom-up and a
 * field reports only its first failure, so each field lists its most basic rule last. The message options
 * (fromName, cc, bcc, …) are inherited from MessageOptionsDto.
 */
export class SendEmailDto extends MessageOptionsDto {
  @ApiProperty({
    example: 'success@simulator.amazonses.com',
    format: 'email',
    maxLength: 320,
    description: 'Recipient address (RFC 5321; ASCII local part, the domain may be internationalised).',
  })
  @IsMailbox()
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  to: string;

  @ApiProperty({
    example: 'promo@elipackage.test',
    format: 'email',
    maxLength: 320,
    description: 'A verified sender identity of the account.',
  })
  @IsMailbox()
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  from: string;

  @ApiPropertyOptional({
    example: 'we have a new offer this week',
    minLength: 1,
    maxLength: MAX_TEXT_LENGTH,
    description: `Plain text or HTML, at most ${MAX_TEXT_LENGTH} characters. Required unless templateId is given (then refused). With \`variables\` it may hold \`{{placeholders}}\`.`,
  })
  @NotWithTemplate()
  @MaxLength(MAX_TEXT_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  @ValidateIf(unlessTemplated('text'))
  text: string;

  @ApiPropertyOptional({
    example: 'EliPackage Promo',
    minLength: 1,
    maxLength: MAX_SUBJECT_LENGTH,
    pattern: NO_HEADER_BREAKERS,
    description: `At most ${MAX_SUBJECT_LENGTH} characters, no line breaks. Required unless templateId is given (then refused).`,
  })
  @NotWithTemplate()
  @NoEncodedWords()
  @NoHeaderBreakers()
  @MaxLength(MAX_SUBJECT_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  @ValidateIf(unlessTemplated('subject'))
  subject: string;

  @ApiPropertyOptional({
    example: '123456789abcde',
    maxLength: MAX_ID_LENGTH,
    pattern: NO_HEADER_BREAKERS,
    description: 'Your id for the campaign; reports group by it.',
  })
  @NoHeaderBreakers()
  @MaxLength(MAX_ID_LENGTH)
  @IsString()
  @IsOptional()
  externalId?: string;

  @ApiPropertyOptional({
    example: '48118112',
    maxLength: MAX_ID_LENGTH,
    pattern: NO_HEADER_BREAKERS,
    description: 'Your id for the recipient or message.',
  })
  @NoHeaderBreakers()
  @MaxLength(MAX_ID_LENGTH)
  @IsString()
  @IsOptional()
  clientId?: string;

  @ApiPropertyOptional({
    example: ['https://example.com/hook'],
    description: `URLs called on every status change: an array, or one string of URLs separated by commas (at most ${MAX_CALLBACKS}).`,
    oneOf: [
      {
        type: 'array',
        maxItems: MAX_CALLBACKS,
        items: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: MAX_CALLBACK_LENGTH },
      },
      { type: 'string', description: 'http(s) URLs separated by commas' },
    ],
  })
  @IsOptional()
  @Transform(toUrlList)
  @IsArray()
  @ArrayMaxSize(MAX_CALLBACKS)
  @IsUrl(CALLBACK_URL, { each: true, message: 'each callback must be an http(s) URL' })
  @MaxLength(MAX_CALLBACK_LENGTH, { each: true })
  callbacks?: string[];

  @ApiPropertyOptional({
    example: 'New User',
    maxLength: MAX_ALIAS_LENGTH,
    pattern: NO_HEADER_BREAKERS,
    description: 'Display name of the recipient: To: "alias" <to>.',
  })
  @NoEncodedWords()
  @NoHeaderBreakers()
  @MaxLength(MAX_ALIAS_LENGTH)
  @IsString()
  @IsOptional()
  alias?: string;

  // Not in the fast check's FIELDS: a scheduled email is checked by the decorators (the path for rarer bodies).
  @ApiPropertyOptional({
    example: '2026-12-24T09:00:00+01:00',
    format: 'date-time',
    pattern: SEND_AT_PATTERN,
    description:
      `Send later: an ISO 8601 date-time with its offset, at most ${MAX_SCHEDULE_DAYS} days ahead. The email is ` +
      'SCHEDULED until then (cancel or reschedule it meanwhile); a time up to 60 s past is sent at once.',
  })
  @IsSendAt()
  @IsOptional()
  sendAt?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A template of the account: it gives subject, html and text, rendered with `variables` by the sender.',
  })
  @IsUUID()
  @IsOptional()
  templateId?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'A version of templateId; its current one by default.',
  })
  @RequiresTemplate()
  @Min(1)
  @IsInt()
  @IsOptional()
  templateVersion?: number;

  @ApiPropertyOptional(VARIABLES_SCHEMA)
  @IsVariables()
  @IsOptional()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_TEXT_LENGTH,
    description: 'An HTML body beside `text` (then the plain-text part); refused with templateId.',
  })
  @NotWithTemplate()
  @MaxLength(MAX_TEXT_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsOptional()
  html?: string;

  static readonly [FAST_CHECK]: FastCheck<SendEmailDto> = (plain) => checkSendEmail(plain);
}

const FIELDS: ReadonlySet<string> = new Set([
  'to',
  'from',
  'text',
  'subject',
  'externalId',
  'clientId',
  'callbacks',
  'alias',
  'templateId',
  'templateVersion',
  'variables',
  'html',
]);

/**
 * The fast check of SendEmailDto (see FastCheck): the decorators above, hand-written for the accepting case.
 * A length within the limit in UTF-16 units is within it for MaxLength too (which counts a surrogate pair
 * once); anything this check is unsure of is left to class-validator.
 */
function checkSendEmail(plain: Readonly<Record<string, unknown>>): SendEmailDto | undefined {
  const keys = Object.keys(plain);
  for (const key of keys) if (!FIELDS.has(key)) return undefined;
  const { to, from, text, subject, externalId, clientId, callbacks, alias } = plain;
  if (!isMailbox(to) || !isMailbox(from)) return undefined;
  if (hasTemplate(plain)) {
    if (!isTemplateMessage(plain)) return undefined;
  } else {
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) return undefined;
    if (typeof subject !== 'string' || subject.length === 0 || !isHeaderValue(subject, MAX_SUBJECT_LENGTH))
      return undefined;
    if (ENCODED_WORD.test(subject)) return undefined;
    if (!isInlinePersonalization(plain)) return undefined;
  }
  if (typeof alias === 'string' && ENCODED_WORD.test(alias)) return undefined;
  if (!isOptionalHeaderValue(externalId, MAX_ID_LENGTH) || !isOptionalHeaderValue(clientId, MAX_ID_LENGTH)) {
    return undefined;
  }
  if (!isOptionalHeaderValue(alias, MAX_ALIAS_LENGTH)) return undefined;
  const urls = callbacks === null || callbacks === undefined ? callbacks : toUrlList({ value: callbacks });
  if (urls !== null && urls !== undefined && !isCallbackList(urls)) return undefined;
  // As class-transformer builds it: a new instance, the body's keys in their order, callbacks a new list.
  const dto = new SendEmailDto() as unknown as Record<string, unknown>;
  for (const key of keys) dto[key] = key === 'callbacks' ? (Array.isArray(urls) ? [...urls] : urls) : plain[key];
  return dto as unknown as SendEmailDto;
}

/** A pure check that remembers the strings it accepted: senders and callback URLs repeat from email to email. */
function remembering(check: (value: string) => boolean): (value: string) => boolean {
  const accepted = new Set<string>();
  return (value) => {
    if (accepted.has(value)) return true;
    if (!check(value)) return false;
    if (accepted.size >= 1_000) accepted.clear();
    accepted.add(value);
    return true;
  };
}

const isValidMailbox = remembering((value) => !('error' in parseMailbox(value)));
const isCallbackUrl = remembering((value) => value.length <= MAX_CALLBACK_LENGTH && isURL(value, CALLBACK_URL));

function isMailbox(value: unknown): boolean {
  return typeof value === 'string' && isValidMailbox(value);
}

function isHeaderValue(value: string, maxLength: number): boolean {
  return value.length <= maxLength && !HEADER_BREAKERS.test(value);
}

function isOptionalHeaderValue(value: unknown, maxLength: number): boolean {
  return value === null || value === undefined || (typeof value === 'string' && isHeaderValue(value, maxLength));
}

function isCallbackList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > MAX_CALLBACKS) return false;
  for (const url of value) if (typeof url !== 'string' || !isCallbackUrl(url)) return false;
  return true;
}

/** templateId (a UUID) with its optional version and variables, and no content of its own. */
function isTemplateMessage(plain: Readonly<Record<string, unknown>>): boolean {
  const { templateId, templateVersion, variables, subject, text, html } = plain;
  if (typeof templateId !== 'string' || !isUUID(templateId)) return false;
  if (subject !== undefined || text !== undefined || html !== undefined) return false;
  if (templateVersion !== undefined && templateVersion !== null) {
    if (typeof templateVersion !== 'number' || !Number.isInteger(templateVersion) || templateVersion < 1) return false;
  }
  return variables === undefined || variables === null || variablesProblem(variables) === undefined;
}

/** Inline content: optional html and variables, no templateVersion. */
function isInlinePersonalization(plain: Readonly<Record<string, unknown>>): boolean {
  const { templateVersion, variables, html } = plain;
  if (templateVersion !== undefined && templateVersion !== null) return false;
  if (variables !== undefined && variables !== null && variablesProblem(variables) !== undefined) return false;
  return (
    html === undefined ||
    html === null ||
    (typeof html === 'string' && html.length > 0 && html.length <= MAX_TEXT_LENGTH)
  );
}
