import { WorkerHost } from '@nestjs/bullmq';
import type { ConfigService } from '@nestjs/config';
import { JobName, type JobPayloads, QueueName, type ReconcileJob } from '@postline/contracts';
import { PostgresOutage, QueueWorker, unexpectedJob } from '@postline/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Env } from '../env';
import { ReputationReconciler } from '../reconcile/reputation-reconciler.service';
import { ReputationSweep } from '../sweep/reputation-sweep.service';
import { PendingSettler } from './pending-settler.service';
import { ReputationBatcher } from './reputation-batcher.service';
import { parseReputationEvents } from './reputation-event';

type ReputationJob =
  | Job<JobPayloads[typeof JobName.RecordReputationEvents], void, typeof JobName.RecordReputationEvents>
  | Job<JobPayloads[typeof JobName.SweepReputation], void, typeof JobName.SweepReputation>
  | Job<ReconcileJob, void, typeof JobName.ReconcileReputationEvents>;

/**
 * `reputation-event`: events join a batch (a job carries the events of one status transaction); the
 * scheduled sweep runs on its own. Safe to run N at a time: many jobs in flight is what lets them meet in
 * one batch.
 */
@QueueWorker(QueueName.ReputationEvent, (config: ConfigService<Env, true>) => ({
  concurrency: config.get('REPUTATION_CONCURRENCY', { infer: true }),
}))
export class ReputationEventProcessor extends WorkerHost {
  constructor(
    private readonly batcher: ReputationBatcher,
    private readonly sweeper: ReputationSweep,
    private readonly settler: PendingSettler,
    private readonly reconciler: ReputationReconciler,
    private readonly outage: PostgresOutage,
  ) {
    super();
  }

  process(job: ReputationJob, token?: string): Promise<void> {
    return this.outage.guard(job, token, () => this.run(job));
  }

  private async run(job: ReputationJob): Promise<void> {
    switch (job.name) {
      case JobName.RecordReputationEvents: {
        const { events, malformed } = parseReputationEvents(job.data);
        await Promise.all(events.map((event) => this.batcher.submit(event)));
        // Every event is counted (or can never be): Postgres need not keep the job for the reconciler.
        if (job.id) await this.settler.settle(job.id);
        if (malformed.length > 0) throw new UnrecoverableError(malformed.join('; ').slice(0, 1000));
        return;
      }
      case JobName.SweepReputation:
        await this.sweeper.sweep();
        return;
      case JobName.ReconcileReputationEvents:
        await this.reconciler.run();
        return;
      default:
        return unexpectedJob(job);
    }
  }
}
