import { ApiProperty } from '@nestjs/swagger';
import { FAST_CHECK, type FastCheck } from '@postline/http';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';
import { SendEmailDto } from './send-email.dto';

export const MAX_BATCH = 1000;

/** `POST /emails/batch`: each message is checked on its own, so one bad message does not refuse the rest. */
export class SendBatchDto {
  @ApiProperty({
    type: [SendEmailDto],
    minItems: 1,
    maxItems: MAX_BATCH,
    description: `1 to ${MAX_BATCH} messages; each is checked on its own (a bad one gets its own 400 result).`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @IsDefined({ message: '$property is required' })
  messages: unknown[];

  /**
   * The decorators above for the accepting case (see FastCheck). The messages are taken as parsed instead of
   * copied by class-transformer: each is checked, and copied, on its own by EmailsService.sendBatch.
   */
  static readonly [FAST_CHECK]: FastCheck<SendBatchDto> = (plain) => {
    const { messages } = plain;
    if (Object.keys(plain).length !== 1 || !Array.isArray(messages)) return undefined;
    if (messages.length < 1 || messages.length > MAX_BATCH) return undefined;
    const dto = new SendBatchDto();
    dto.messages = messages;
    return dto;
  };
}
