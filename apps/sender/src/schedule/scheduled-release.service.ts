import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { ScheduledEmails } from '@postline/email-status';
import { JobSchedules } from '@postline/queue';
import type { Env } from '../env';

export const SCHEDULED_RELEASE_SCHEDULER_ID = 'release-scheduled-emails';

/**
 * Schedules, and runs, the due pass of scheduled emails. Postgres holds the schedule (`Email.sendAt`); the job
 * scheduler only says when to look, and is itself put back if Redis loses it, so a restart or a Redis flush
 * delays a due email by at most a few seconds and loses none.
 */
@Injectable()
export class ScheduledRelease implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly scheduled: ScheduledEmails,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.get('SCHEDULED_RELEASE_EVERY_MS', { infer: true });
    void this.schedules.keep(
      SCHEDULED_RELEASE_SCHEDULER_ID,
      JobName.ReleaseScheduledEmails,
      {},
      every > 0 ? every : null,
    );
  }

  /** Returns how many emails were released. */
  run(): Promise<number> {
    return this.scheduled.releaseDue();
  }
}
