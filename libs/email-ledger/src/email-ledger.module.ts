import { Module } from '@nestjs/common';
import { EmailIntake } from './email-intake.service';
import { ScheduledEmails } from './scheduled-emails.service';
import { StatusRecorder } from './status-recorder.service';

/** The email ledger's writers (status, intake, scheduled emails) for any app; needs DatabaseModule and QueueModule (both global). */
@Module({
  providers: [StatusRecorder, EmailIntake, ScheduledEmails],
  exports: [StatusRecorder, EmailIntake, ScheduledEmails],
})
export class EmailLedgerModule {}
