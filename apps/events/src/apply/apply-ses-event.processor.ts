import { Processor, WorkerHost } from '@nestjs/bullmq';
import { type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { assertUnreachable, type ApplySesEventJob, JobName, QueueName, type ReconcileJob } from '@postline/contracts';
import { workerConnection } from '@postline/queue';
import { DelayedError, type Job } from 'bullmq';
import type { Env } from '../env';
import { ReceiptReconciler } from '../receipts/receipt-reconciler.service';
import { SesEventApplier } from './ses-event-applier.service';

/** Consumer of the ses-event queue; N processes may run it side by side (one job per SNS MessageId). */
@Processor(QueueName.SesEvent, { connection: workerConnection() })
export class ApplySesEventProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly applier: SesEventApplier,
    private readonly config: ConfigService<Env, true>,
    private readonly reconciler: ReceiptReconciler,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Many jobs in flight at once is what lets the applier group them into one transaction.
    this.worker.concurrency = this.config.get('EVENTS_CONCURRENCY', { infer: true });
  }

  async process(
    job:
      | Job<ApplySesEventJob, void, typeof JobName.ApplySesEvent>
      | Job<ReconcileJob, void, typeof JobName.ReconcileSesEvents>,
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
      default:
        assertUnreachable(job);
    }
  }
}
