import { Module } from '@nestjs/common';
import { EmailIntake } from './email-intake.service';
import { StatusRecorder } from './status-recorder.service';

/** Status writes for any app; needs DatabaseModule and QueueModule (both global). */
@Module({
  providers: [StatusRecorder, EmailIntake],
  exports: [StatusRecorder, EmailIntake],
})
export class EmailStatusModule {}
