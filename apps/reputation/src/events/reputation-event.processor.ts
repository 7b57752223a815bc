import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName, type JobPayloads, QueueName, type ReconcileJob } from '@postline/contracts';
import { PostgresOutage, workerConnection } from '@postline/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Env } from '../env';
import { ReputationReconciler } from '../reconcile/reputation-reconciler.service';
import { ReputationSweep } from '../sweep/reputation-sweep.service';
import { PendingSettler } from './pending-settler.service';
import { ReputationBatcher } from './reputation-batcher.service';
import { parseReputationEvent, parseReputationEvents } from './reputation-event';

type ReputationJob =
  | Job<JobPayloads[typeof JobName.RecordReputationEvent], void, typeof JobName.RecordReputationEvent>
  | Job<JobPayloads[typeof JobName.RecordReputationEvents], void, typeof JobName.RecordReputationEvents>
  | Job<JobPayloads[typeof JobName.SweepReputation], void, typeof JobName.SweepReputation>
  | Job<ReconcileJob, void, typeof JobName.ReconcileReputationEvents>;

/**
 * `reputation-event`: events join a batch (a job carries one, or all of one status transaction's); the
 * scheduled sweep runs on its own. Safe to run N at a time.
 */
@Processor(QueueName.ReputationEvent, { connection: workerConnection() })
export class ReputationEventProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly batcher: ReputationBatcher,
    private readonly sweeper: ReputationSweep,
    private readonly settler: PendingSettler,
    private readonly reconciler: ReputationReconciler,
    private readonly outage: PostgresOutage,
    private readonly config: ConfigService<Env, true>,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Concurrency is what lets jobs meet in one batch; it comes from the environment, not the decorator.
    this.worker.concurrency = this.config.get('REPUTATION_CONCURRENCY', { infer: true });
  }

  process(job: ReputationJob, token?: string): Promise<void> {
    return this.outage.guard(job, token, () => this.run(job));
  }

  private async run(job: ReputationJob): Promise<void> {
    switch (job.name) {
      case JobName.RecordReputationEvent:
        return this.batcher.submit(parseReputationEvent(job.data));
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
        throw new UnrecoverableError(`unexpected job ${(job as Job).name} on ${QueueName.ReputationEvent}`);
    }
  }
}
