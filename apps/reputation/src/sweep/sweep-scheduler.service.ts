import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName, QueueName } from '@postline/contracts';
import { QueueRegistry } from '@postline/queue';
import type { Env } from '../env';

export const SWEEP_SCHEDULER_ID = 'reputation-sweep';
const RETRY_MS = 5_000;

/**
 * Registers the sweep's job scheduler. upsertJobScheduler is idempotent, so every worker may call it at
 * start; BullMQ then produces one sweep job per interval for the whole fleet. JobProducer has no scheduler
 * API, hence the registry's queue here.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweepScheduler.name);
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  async register(): Promise<void> {
    try {
      await this.queues
        .get(QueueName.ReputationEvent)
        .upsertJobScheduler(
          SWEEP_SCHEDULER_ID,
          { every: this.config.get('REPUTATION_SWEEP_EVERY_MS', { infer: true }) },
          { name: JobName.SweepReputation, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
        );
    } catch (error) {
      // Redis not reachable yet: keep trying; events wait in the queue meanwhile anyway.
      this.logger.warn(`could not register the reputation sweep yet: ${(error as Error).message}`);
      this.retry = setTimeout(() => void this.register(), RETRY_MS);
      this.retry.unref();
    }
  }
}
