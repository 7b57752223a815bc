import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { pendingReputation } from '@postline/email-ledger';
import { JobReconciler, JobSchedules } from '@postline/queue';
import type { Env } from '../env';

export const REPUTATION_RECONCILE_SCHEDULER_ID = 'reconcile-reputation-events';

/** Schedules, and runs, the pass that re-queues the reputation jobs Redis lost before they were counted. */
@Injectable()
export class ReputationReconciler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly reconciler: JobReconciler,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.get('RECONCILE_EVERY_MS', { infer: true });
    void this.schedules.keep(
      REPUTATION_RECONCILE_SCHEDULER_ID,
      JobName.ReconcileReputationEvents,
      {},
      every > 0 ? every : null,
    );
  }

  /** Returns the number of jobs re-queued (null: another replica holds the pass). */
  run(): Promise<number | null> {
    return this.reconciler.reconcile(pendingReputation, this.config.get('RECONCILE_GRACE_MS', { infer: true }));
  }
}
