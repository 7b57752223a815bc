import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { IsMailbox, NoHeaderBreakers, toUrlList } from './validators';

export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_CALLBACKS = 10;

/** The body of `POST /emails`, exactly as the product documentation gives it. */
export class SendEmailDto {
  @ApiProperty({ example: 'success@simulator.amazonses.com', description: 'Recipient address (RFC 5321).' })
  @IsString()
  @IsNotEmpty()
  @IsMailbox()
  to: string;

  @ApiProperty({ example: 'promo@elipackage.test', description: 'A verified sender identity of the account.' })
  @IsString()
  @IsNotEmpty()
  @IsMailbox()
  from: string;

  @ApiProperty({ example: 'we have a new offer this week', description: `Plain text or HTML, at most ${MAX_TEXT_LENGTH} characters.` })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH)
  text: string;

  @ApiProperty({ example: 'EliPackage Promo', description: 'At most 998 characters, no line breaks.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  @NoHeaderBreakers()
  subject: string;

  @ApiPropertyOptional({ example: '123456789abcde', description: 'Your id for the campaign; reports group by it.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @NoHeaderBreakers()
  externalId?: string;

  @ApiPropertyOptional({ example: '48118112', description: 'Your id for the recipient or message.' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @NoHeaderBreakers()
  clientId?: string;

  @ApiPropertyOptional({
    example: ['https://example.com/hook'],
    description: `URLs called on every status change: an array, or one string of URLs separated by commas (at most ${MAX_CALLBACKS}).`,
    oneOf: [{ type: 'array', items: { type: 'string', format: 'uri' } }, { type: 'string' }],
  })
  @IsOptional()
  @Transform(toUrlList)
  @IsArray()
  @ArrayMaxSize(MAX_CALLBACKS)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { each: true, message: 'each callback must be an http(s) URL' })
  @MaxLength(2048, { each: true })
  callbacks?: string[];

  @ApiPropertyOptional({ example: 'New User', description: 'Display name of the recipient: To: "alias" <to>.' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @NoHeaderBreakers()
  alias?: string;
}
