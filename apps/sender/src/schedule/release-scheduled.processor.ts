import { Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, type JobPayloads, QueueName } from '@postline/contracts';
import { workerConnection } from '@postline/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import { ScheduledRelease } from './scheduled-release.service';

type EmailScheduleJob = Job<
  JobPayloads[typeof JobName.ReleaseScheduledEmails],
  void,
  typeof JobName.ReleaseScheduledEmails
>;

/** `email-schedule`: one due pass at a time per replica; passes of several replicas skip each other's rows. */
@Processor(QueueName.EmailSchedule, { concurrency: 1, connection: workerConnection() })
export class ReleaseScheduledProcessor extends WorkerHost {
  constructor(private readonly release: ScheduledRelease) {
    super();
  }

  async process(job: EmailScheduleJob): Promise<void> {
    switch (job.name) {
      case JobName.ReleaseScheduledEmails:
        await this.release.run();
        return;
      default:
        throw new UnrecoverableError(`unexpected job ${(job as Job).name} on ${QueueName.EmailSchedule}`);
    }
  }
}
