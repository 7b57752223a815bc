import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Worker } from 'bullmq';
import type { Env } from '../env';
import { senderPaused, senderPauses } from '../sender-metrics';
import { SesAccountService } from '../ses/ses-account.service';
import type { SesFailure } from '../ses/ses-failure';

/**
 * Holds every sender back while SES refuses all sending (SendingPaused, AccountSuspended, credentials).
 * The pause is the queue's rate limit in Redis, so it stops every replica, expires by itself if this
 * process dies, and costs no job an attempt (jobs go back to waiting). A GetAccount probe lifts it.
 */
@Injectable()
export class SendingPause implements OnModuleDestroy {
  private readonly logger = new Logger(SendingPause.name);
  private reason?: string;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly account: SesAccountService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  get paused(): boolean {
    return this.reason !== undefined;
  }

  /** Pauses the queue (again) and starts probing if this process is not already. */
  async pause(failure: SesFailure, worker: Worker): Promise<void> {
    const probeMs = this.config.get('SES_PAUSE_PROBE_MS', { infer: true });
    await worker.rateLimit(probeMs * 2);
    if (this.reason !== undefined || this.stopped) return;
    this.reason = failure.code;
    senderPaused().set({ reason: failure.code }, 1);
    senderPauses().inc({ reason: failure.code });
    this.logger.error(
      { code: failure.code, httpStatus: failure.httpStatus },
      `SES refuses to send (${failure.code}: ${failure.message}); every sender is paused, emails stay queued, probing GetAccount every ${probeMs} ms`,
    );
    this.schedule(worker, probeMs);
  }

  private schedule(worker: Worker, probeMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.probe(worker, probeMs), probeMs);
    this.timer.unref();
  }

  private async probe(worker: Worker, probeMs: number): Promise<void> {
    const state = await this.account
      .state()
      .catch((error: Error) => ({ sendingEnabled: false, enforcementStatus: error.message }));
    if (this.stopped) return;
    if (!state.sendingEnabled) {
      await worker.rateLimit(probeMs * 2).catch(() => undefined);
      this.schedule(worker, probeMs);
      return;
    }
    // A 1 ms limit replaces the pause: jobs flow again as soon as each worker's wait ends.
    await worker.rateLimit(1).catch(() => undefined);
    senderPaused().set({ reason: this.reason ?? '' }, 0);
    this.logger.warn(`SES accepts sending again (${this.reason}); sending resumed`);
    this.reason = undefined;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
