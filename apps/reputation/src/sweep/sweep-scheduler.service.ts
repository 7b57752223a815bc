import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { JobSchedules } from '@postline/queue';
import type { Env } from '../env';

export const SWEEP_SCHEDULER_ID = 'reputation-sweep';

/** Schedules the sweep that re-evaluates accounts whose window slid (one job per interval for the fleet). */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  register(): Promise<void> {
    const every = this.config.get('REPUTATION_SWEEP_EVERY_MS', { infer: true });
    return this.schedules.keep(SWEEP_SCHEDULER_ID, JobName.SweepReputation, {}, every);
  }
}
