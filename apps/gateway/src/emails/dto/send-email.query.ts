import { ApiPropertyOptional } from '@nestjs/swagger';
import { HEADER_BREAKERS } from '@postline/contracts';
import { FAST_CHECK, type FastCheck } from '@postline/http';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NO_HEADER_BREAKERS } from './send-email.dto';
import { NoHeaderBreakers } from './validators';

const MAX_UNSUBSCRIBE_MSG = 200;

export class SendEmailQuery {
  @ApiPropertyOptional({
    example: 'Unsubscribe',
    minLength: 1,
    maxLength: MAX_UNSUBSCRIBE_MSG,
    pattern: NO_HEADER_BREAKERS,
    description: 'Anchor text of the unsubscribe link added to the message.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_UNSUBSCRIBE_MSG)
  @NoHeaderBreakers()
  unsubscribeMsg?: string;

  /** The decorators above for the accepting case (see FastCheck); anything else is left to class-validator. */
  static readonly [FAST_CHECK]: FastCheck<SendEmailQuery> = (plain) => {
    const keys = Object.keys(plain);
    if (keys.some((key) => key !== 'unsubscribeMsg')) return undefined;
    const { unsubscribeMsg } = plain;
    if (
      unsubscribeMsg !== null &&
      unsubscribeMsg !== undefined &&
      (typeof unsubscribeMsg !== 'string' ||
        unsubscribeMsg.length === 0 ||
        unsubscribeMsg.length > MAX_UNSUBSCRIBE_MSG ||
        HEADER_BREAKERS.test(unsubscribeMsg))
    ) {
      return undefined;
    }
    const query = new SendEmailQuery();
    if (keys.length > 0) query.unsubscribeMsg = unsubscribeMsg as string | undefined;
    return query;
  };
}
