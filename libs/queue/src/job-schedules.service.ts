import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import { QueueRegistry } from './queue-registry.service';

const RETRY_MS = 5_000;

/**
 * Periodic jobs through BullMQ job schedulers. `upsertJobScheduler` is idempotent, so every replica may
 * register at start and BullMQ still makes one job per interval for the whole fleet. Registration is retried
 * until Redis answers.
 */
@Injectable()
export class JobSchedules implements OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedules.name);
  private readonly retries = new Set<NodeJS.Timeout>();

  constructor(private readonly queues: QueueRegistry) {}

  /** Runs job `name` every `everyMs`; `null` removes the schedule. */
  async keep<N extends JobName>(id: string, name: N, data: JobPayloads[N], everyMs: number | null): Promise<void> {
    const queue = this.queues.get(JOB_QUEUE[name]);
    try {
      if (everyMs === null) {
        await queue.removeJobScheduler(id);
        return;
      }
      await queue.upsertJobScheduler(
        id,
        { every: everyMs },
        { name, data, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
      );
    } catch (error) {
      this.logger.warn(`could not register schedule ${id} yet: ${(error as Error).message}`);
      const retry = setTimeout(() => {
        this.retries.delete(retry);
        void this.keep(id, name, data, everyMs);
      }, RETRY_MS);
      retry.unref();
      this.retries.add(retry);
    }
  }

  onApplicationShutdown(): void {
    for (const retry of this.retries) clearTimeout(retry);
  }
}
