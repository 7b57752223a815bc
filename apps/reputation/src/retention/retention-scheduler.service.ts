import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { JobSchedules } from '@postline/queue';
import type { Env } from '../env';

export const RETENTION_SCHEDULER_ID = 'retention-purge';

/** Schedules the purge of expired data; with RETENTION_DAYS=0 it removes the schedule. */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every =
      this.config.get('RETENTION_DAYS', { infer: true }) > 0
        ? this.config.get('RETENTION_PURGE_EVERY_MS', { infer: true })
        : null;
    void this.schedules.keep(RETENTION_SCHEDULER_ID, JobName.PurgeExpiredData, {}, every);
  }
}
