import { WorkerHost } from '@nestjs/bullmq';
import type { ConfigService } from '@nestjs/config';
import {
  type ApplySesEventJob,
  JobName,
  QueueName,
  type ReconcileJob,
  type TidySnsReceiptsJob,
} from '@postline/contracts';
import { QueueWorker, unexpectedJob } from '@postline/queue';
import { DelayedError, type Job } from 'bullmq';
import type { Env } from '../env';
import { ReceiptJanitor } from '../receipts/receipt-janitor.service';
import { ReceiptReconciler } from '../receipts/receipt-reconciler.service';
import { SesEventApplier } from './ses-event-applier.service';

/**
 * Consumer of the ses-event queue; N processes may run it side by side (one job per SNS MessageId). Many
 * jobs in flight at once is what lets the applier group them into one transaction.
 */
@QueueWorker(QueueName.SesEvent, (config: ConfigService<Env, true>) => ({
  concurrency: config.get('EVENTS_CONCURRENCY', { infer: true }),
}))
export class ApplySesEventProcessor extends WorkerHost {
  constructor(
    private readonly applier: SesEventApplier,
    private readonly reconciler: ReceiptReconciler,
    private readonly janitor: ReceiptJanitor,
  ) {
    super();
  }

  async process(
    job:
      | Job<ApplySesEventJob, void, typeof JobName.ApplySesEvent>
      | Job<ReconcileJob, void, typeof JobName.ReconcileSesEvents>
      | Job<TidySnsReceiptsJob, void, typeof JobName.TidySnsReceipts>,
    token?: string,
  ): Promise<void> {
    switch (job.name) {
      case JobName.ApplySesEvent: {
        const result = await this.applier.apply(job.data.snsMessageId);
        if (result.kind === 'retry') {
          // Not a failure: the email is not known yet (or Postgres is away). Come back later without using up attempts.
          await job.moveToDelayed(Date.now() + result.delayMs, token);
          throw new DelayedError(result.reason);
        }
        return;
      }
      case JobName.ReconcileSesEvents:
        await this.reconciler.run();
        return;
      case JobName.TidySnsReceipts:
        await this.janitor.run();
        return;
      default:
        return unexpectedJob(job);
    }
  }
}
