import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { IsSendAt, MAX_SCHEDULE_DAYS, SEND_AT_PATTERN } from './send-at.validator';

/** `POST /emails/{id}/reschedule`. */
export class RescheduleEmailDto {
  @ApiProperty({
    example: '2026-12-24T09:00:00+01:00',
    format: 'date-time',
    pattern: SEND_AT_PATTERN,
    description: `The new time: an ISO 8601 date-time with its offset, at most ${MAX_SCHEDULE_DAYS} days ahead.`,
  })
  @IsSendAt()
  @IsDefined({ message: '$property is required' })
  sendAt: string;
}
