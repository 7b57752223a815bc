import { WorkerHost } from '@nestjs/bullmq';
import { JobName, type JobPayloads, QueueName } from '@postline/contracts';
import { PostgresOutage, QueueWorker, unexpectedJob } from '@postline/queue';
import type { Job } from 'bullmq';
import { RetentionPurger } from './retention-purger.service';

type RetentionJob = Job<JobPayloads[typeof JobName.PurgeExpiredData], void, typeof JobName.PurgeExpiredData>;

/** `retention`: one purge at a time per worker; the scheduler makes one job per interval for the fleet. */
@QueueWorker(QueueName.Retention, { concurrency: 1 })
export class PurgeExpiredProcessor extends WorkerHost {
  constructor(
    private readonly purger: RetentionPurger,
    private readonly outage: PostgresOutage,
  ) {
    super();
  }

  process(job: RetentionJob, token?: string): Promise<void> {
    return this.outage.guard(job, token, () => this.run(job));
  }

  private async run(job: RetentionJob): Promise<void> {
    switch (job.name) {
      case JobName.PurgeExpiredData:
        await this.purger.purge();
        return;
      default:
        return unexpectedJob(job);
    }
  }
}
