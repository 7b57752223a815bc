import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';
import { SendEmailDto } from './send-email.dto';

export const MAX_BATCH = 1000;

/** `POST /emails/batch`: each message is checked on its own, so one bad message does not refuse the rest. */
export class SendBatchDto {
  @ApiProperty({ type: [SendEmailDto], description: `1 to ${MAX_BATCH} messages.` })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  messages: unknown[];
}
