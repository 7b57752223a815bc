import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import { QueueRegistry } from './queue-registry.service';
import { ThrottledLog } from './throttled-log';

/** How often each kept schedule is checked (and put back if Redis lost it). */
const CHECK_MS = 5_000;

interface Schedule {
  name: JobName;
  data: unknown;
  everyMs: number;
}

/**
 * Periodic jobs through BullMQ job schedulers. `upsertJobScheduler` is idempotent, so every replica may
 * register at start and BullMQ still makes one job per interval for the whole fleet. A scheduler lives in
 * Redis: one that Redis lost (restarted empty, flushed) or that could not be registered yet is put back
 * within CHECK_MS, so the reconcilers that rebuild Redis are themselves rebuilt.
 */
@Injectable()
export class JobSchedules implements OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private readonly kept = new Map<string, Schedule>();
  private timer?: NodeJS.Timeout;
  private readonly failureLog = new ThrottledLog(this.logger, 30_000);

  constructor(private readonly queues: QueueRegistry) {}

  /** Runs job `name` every `everyMs`; `null` removes the schedule. */
  async keep<N extends JobName>(id: string, name: N, data: JobPayloads[N], everyMs: number | null): Promise<void> {
    if (everyMs === null) {
      this.kept.delete(id);
      await this.queues
        .get(JOB_QUEUE[name])
        .removeJobScheduler(id)
        .catch((error: Error) => this.logFailure(id, error));
      return;
    }
    this.kept.set(id, { name, data, everyMs });
    if (!this.timer) {
      // A local timer: a scheduler Redis lost cannot put itself back.
      this.timer = setInterval(() => void this.restoreLost(), CHECK_MS);
      this.timer.unref();
    }
    await this.upsert(id, { name, data, everyMs }).catch((error: Error) => this.logFailure(id, error));
  }

  /** Puts back every kept schedule Redis does not hold. */
  async restoreLost(): Promise<void> {
    for (const [id, schedule] of this.kept) {
      try {
        const queue = this.queues.get(JOB_QUEUE[schedule.name]);
        if (await queue.getJobScheduler(id)) continue;
        await this.upsert(id, schedule);
        this.logger.log({ id }, 'job scheduler restored');
      } catch (error) {
        this.logFailure(id, error as Error);
      }
    }
  }

  private async upsert(id: string, { name, data, everyMs }: Schedule): Promise<void> {
    await this.queues.get(JOB_QUEUE[name]).upsertJobScheduler(
      id,
      { every: everyMs },
      // lifo: a periodic job must not wait behind a backlog of the queue's own jobs.
      { name, data, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100, lifo: true } },
    );
  }

  private logFailure(id: string, error: Error): void {
    // Redis away: the check retries every CHECK_MS.
    this.failureLog.warn(`could not register schedule ${id} yet: ${error.message}`);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
