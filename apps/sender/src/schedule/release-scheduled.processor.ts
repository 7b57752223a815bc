import { WorkerHost } from '@nestjs/bullmq';
import { JobName, type JobPayloads, QueueName } from '@postline/contracts';
import { QueueWorker, unexpectedJob } from '@postline/queue';
import type { Job } from 'bullmq';
import { ScheduledRelease } from './scheduled-release.service';

type EmailScheduleJob = Job<
  JobPayloads[typeof JobName.ReleaseScheduledEmails],
  void,
  typeof JobName.ReleaseScheduledEmails
>;

/** `email-schedule`: one due pass at a time per replica; passes of several replicas skip each other's rows. */
@QueueWorker(QueueName.EmailSchedule, { concurrency: 1 })
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
        return unexpectedJob(job);
    }
  }
}
