import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ScheduledEmails, type ScheduleChange } from '@postline/email-ledger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses, ErrorCode } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { EmailDetailViewDoc } from './dto/email-detail.view';
import { RescheduleEmailDto } from './dto/reschedule-email.dto';
import { EmailsService } from './emails.service';

const emailId = () => new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Email') });

/** Cancel and reschedule an email while it is SCHEDULED (sent with `sendAt`). */
@ApiTags('emails')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 404, 409, 503)
@UseGuards(ApiKeyGuard)
@Controller('emails')
export class ScheduledEmailsController {
  constructor(
    private readonly scheduled: ScheduledEmails,
    private readonly emails: EmailsService,
  ) {}

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Cancel a scheduled email',
    description:
      'SCHEDULED → CANCELED, for good: the email is never sent, and its callbacks are told. 409 naming the status ' +
      'when it is no longer SCHEDULED (its time came and it was queued, or it was cancelled already).',
  })
  @ApiEnvelopeResponse(EmailDetailViewDoc, { description: 'The email, CANCELED' })
  async cancel(@CurrentCaller() caller: Caller, @Param('id', emailId()) id: string) {
    settle(await this.scheduled.cancel(caller.accountId, id), 'cancelled');
    return this.emails.get(caller, id);
  }

  @Post(':id/reschedule')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Move the time of a scheduled email',
    description:
      'Sets a new `sendAt` (same rules as on POST /emails) while the email is SCHEDULED; 409 naming the status ' +
      'otherwise. The change is kept in the email history as a Rescheduled event.',
  })
  @ApiEnvelopeResponse(EmailDetailViewDoc, { description: 'The email, SCHEDULED for the new time' })
  async reschedule(
    @CurrentCaller() caller: Caller,
    @Param('id', emailId()) id: string,
    @Body() dto: RescheduleEmailDto,
  ) {
    settle(await this.scheduled.reschedule(caller.accountId, id, new Date(dto.sendAt)), 'rescheduled');
    return this.emails.get(caller, id);
  }
}

/** Another account's email is "not found", as everywhere. */
function settle(change: ScheduleChange, verb: string): void {
  switch (change.kind) {
    case 'done':
      return;
    case 'not-found':
      throw ApiError.notFound('Email');
    case 'not-scheduled':
      throw new ApiError(
        HttpStatus.CONFLICT,
        ErrorCode.Conflict,
        `The email is ${change.status}, not SCHEDULED: only a scheduled email can be ${verb}`,
      );
  }
}
