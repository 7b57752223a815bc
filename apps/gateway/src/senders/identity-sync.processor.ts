import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { JobName, QueueName, type SyncSenderIdentitiesJob } from '@postline/contracts';
import { PostgresOutage, QueueWorker, unexpectedJob } from '@postline/queue';
import type { Job } from 'bullmq';
import { IdentityStatusSync, type SyncOutcome } from './identity-status-sync.service';
import { SenderIdentitiesService } from './sender-identities.service';

/** Runs the periodic identity sync; the job scheduler makes one job per interval for the whole fleet. */
@QueueWorker(QueueName.IdentitySync, { concurrency: 1 })
export class IdentitySyncProcessor extends WorkerHost {
  private readonly logger = new Logger(IdentitySyncProcessor.name);

  constructor(
    private readonly sync: IdentityStatusSync,
    private readonly senders: SenderIdentitiesService,
    private readonly outage: PostgresOutage,
  ) {
    super();
  }

  process(
    job: Job<SyncSenderIdentitiesJob, SyncOutcome | null, typeof JobName.SyncSenderIdentities>,
    token?: string,
  ): Promise<SyncOutcome | null> {
    switch (job.name) {
      case JobName.SyncSenderIdentities:
        return this.outage.guard(job, token, () => this.run());
      default:
        return unexpectedJob(job);
    }
  }

  private async run(): Promise<SyncOutcome | null> {
    // A job left by a fleet that ran in SES mode: without SES's identity API there is nothing to read.
    if (this.senders.mode !== 'ses') {
      this.logger.debug('identity sync skipped: SES_IDENTITY_MODE=auto-verify');
      return null;
    }
    return this.sync.syncDue();
  }
}
