import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { JobReconciler, JobSchedules } from '@postline/queue';
import type { Env } from '../env';
import { pendingReceipts } from './pending-receipts';

export const RECEIPT_RECONCILE_SCHEDULER_ID = 'reconcile-ses-events';

/** Schedules, and runs, the pass that re-queues pending SNS receipts whose apply job Redis lost. */
@Injectable()
export class ReceiptReconciler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly reconciler: JobReconciler,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.get('RECONCILE_EVERY_MS', { infer: true });
    void this.schedules.keep(RECEIPT_RECONCILE_SCHEDULER_ID, JobName.ReconcileSesEvents, {}, every > 0 ? every : null);
  }

  /** Returns the number of receipts re-queued (null: another replica holds the pass). */
  run(): Promise<number | null> {
    return this.reconciler.reconcile(pendingReceipts, this.config.get('RECONCILE_GRACE_MS', { infer: true }));
  }
}
