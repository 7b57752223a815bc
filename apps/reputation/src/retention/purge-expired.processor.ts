import { Processor, WorkerHost } from '@nestjs/bullmq';
import { JobName, type JobPayloads, QueueName } from '@postline/contracts';
import { PostgresOutage, workerConnection } from '@postline/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import { RetentionPurger } from './retention-purger.service';

type RetentionJob = Job<JobPayloads[typeof JobName.PurgeExpiredData], void, typeof JobName.PurgeExpiredData>;

/** `retention`: one purge at a time per worker; the scheduler makes one job per interval for the fleet. */
@Processor(QueueName.Retention, { concurrency: 1, connection: workerConnection() })
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
        throw new UnrecoverableError(`unexpected job ${(job as Job).name} on ${QueueName.Retention}`);
    }
  }
}
