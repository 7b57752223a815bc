import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsNotEmpty, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { IsMailbox, NoHeaderBreakers, toUrlList } from './validators';

export const MAX_TEXT_LENGTH = 1_000_000;
export const MAX_CALLBACKS = 10;

/**
 * The body of `POST /emails`, exactly as the product documentation gives it. Decorators run bottom-up and a
 * field reports only its first failure, so each field lists its most basic rule last.
 */
export class SendEmailDto {
  @ApiProperty({ example: 'success@simulator.amazonses.com', description: 'Recipient address (RFC 5321).' })
  @IsMailbox()
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  to: string;

  @ApiProperty({ example: 'promo@elipackage.test', description: 'A verified sender identity of the account.' })
  @IsMailbox()
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  from: string;

  @ApiProperty({
    example: 'we have a new offer this week',
    description: `Plain text or HTML, at most ${MAX_TEXT_LENGTH} characters.`,
  })
  @MaxLength(MAX_TEXT_LENGTH)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  text: string;

  @ApiProperty({ example: 'EliPackage Promo', description: 'At most 998 characters, no line breaks.' })
  @NoHeaderBreakers()
  @MaxLength(998)
  @IsNotEmpty()
  @IsString()
  @IsDefined({ message: '$property is required' })
  subject: string;

  @ApiPropertyOptional({ example: '123456789abcde', description: 'Your id for the campaign; reports group by it.' })
  @NoHeaderBreakers()
  @MaxLength(255)
  @IsString()
  @IsOptional()
  externalId?: string;

  @ApiPropertyOptional({ example: '48118112', description: 'Your id for the recipient or message.' })
  @NoHeaderBreakers()
  @MaxLength(255)
  @IsString()
  @IsOptional()
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
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { each: true, message: 'each callback must be an http(s) URL' },
  )
  @MaxLength(2048, { each: true })
  callbacks?: string[];

  @ApiPropertyOptional({ example: 'New User', description: 'Display name of the recipient: To: "alias" <to>.' })
  @NoHeaderBreakers()
  @MaxLength(256)
  @IsString()
  @IsOptional()
  alias?: string;
}
