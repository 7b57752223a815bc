import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { ScheduledEmails } from '@postline/email-ledger';
import { JobSchedules } from '@postline/queue';
import type { Env } from '../env';
import { scheduledReleased } from '../sender-metrics';

export const SCHEDULED_RELEASE_SCHEDULER_ID = 'release-scheduled-emails';

/**
 * Schedules, and runs, the due pass of scheduled emails. Postgres holds the schedule (`Email.sendAt`); the job
 * scheduler only says when to look, and is itself put back if Redis loses it, so a restart or a Redis flush
 * delays a due email by at most a few seconds and loses none.
 * A pass that sees the next email due before the next pass also sets a timer for that moment: the email leaves
 * on time rather than up to an interval late. The timer is only a shortcut; the next pass catches what it misses.
 */
@Injectable()
export class ScheduledRelease implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ScheduledRelease.name);
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly schedules: JobSchedules,
    private readonly scheduled: ScheduledEmails,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.every();
    void this.schedules.keep(
      SCHEDULED_RELEASE_SCHEDULER_ID,
      JobName.ReleaseScheduledEmails,
      {},
      every > 0 ? every : null,
    );
  }

  /** Returns how many emails were released. */
  async run(): Promise<number> {
    const released = await this.scheduled.releaseDue();
    if (released > 0) scheduledReleased().inc(released);
    const next = await this.scheduled.nextDueAt();
    if (next && !this.stopped) {
      const wait = next.getTime() - Date.now();
      // Due already (a row a cancel holds, or one accepted meanwhile): the next pass takes it, no busy loop.
      if (wait > 0 && wait < this.every()) {
        clearTimeout(this.timer);
        // A few ms late rather than early: a timer that fires early finds nothing due yet.
        this.timer = setTimeout(() => void this.onTime(), wait + 5);
        this.timer.unref();
      }
    }
    return released;
  }

  private async onTime(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    await this.run().catch((error: Error) => this.logger.warn(`due pass failed: ${error.message}`));
  }

  private every(): number {
    return this.config.get('SCHEDULED_RELEASE_EVERY_MS', { infer: true });
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
