import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { JobReconciler, JobSchedules } from '@postline/queue';
import type { Env } from '../env';
import { pendingSends } from './pending-sends';

export const SEND_RECONCILE_SCHEDULER_ID = 'reconcile-sends';

/** Schedules, and runs, the pass that re-queues emails whose send job Redis lost. */
@Injectable()
export class SendReconciler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly reconciler: JobReconciler,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.get('RECONCILE_EVERY_MS', { infer: true });
    void this.schedules.keep(SEND_RECONCILE_SCHEDULER_ID, JobName.ReconcileSends, {}, every > 0 ? every : null);
  }

  /** Returns the number of emails re-queued (null: another replica holds the pass). */
  run(): Promise<number | null> {
    return this.reconciler.reconcile(pendingSends, this.config.get('RECONCILE_GRACE_MS', { infer: true }));
  }
}
