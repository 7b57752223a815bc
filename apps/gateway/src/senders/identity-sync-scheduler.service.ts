import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName, QueueName } from '@postline/contracts';
import { QueueRegistry } from '@postline/queue';
import type { Env } from '../env';
import { SenderIdentitiesService } from './sender-identities.service';

export const IDENTITY_SYNC_SCHEDULER_ID = 'identity-sync';
const RETRY_MS = 5_000;

/**
 * Registers the identity sync's job scheduler (idempotent: every gateway may do it at start, BullMQ then
 * makes one job per interval for all of them). In auto-verify mode, or with IDENTITY_SYNC_EVERY_MS=0, the
 * scheduler is removed instead. JobProducer has no scheduler API, hence the registry's queue.
 */
@Injectable()
export class IdentitySyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentitySyncScheduler.name);
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly senders: SenderIdentitiesService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  onApplicationShutdown(): void {
    if (this.retry) clearTimeout(this.retry);
  }

  async register(): Promise<void> {
    const every = this.config.get('IDENTITY_SYNC_EVERY_MS', { infer: true });
    const queue = this.queues.get(QueueName.IdentitySync);
    try {
      if (this.senders.mode !== 'ses' || every === 0) {
        await queue.removeJobScheduler(IDENTITY_SYNC_SCHEDULER_ID);
        return;
      }
      await queue.upsertJobScheduler(
        IDENTITY_SYNC_SCHEDULER_ID,
        { every },
        {
          name: JobName.SyncSenderIdentities,
          data: {},
          opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
        },
      );
    } catch (error) {
      // Redis not reachable yet: keep trying; identities simply stay as they are meanwhile.
      this.logger.warn(`could not register the identity sync yet: ${(error as Error).message}`);
      this.retry = setTimeout(() => void this.register(), RETRY_MS);
      this.retry.unref();
    }
  }
}
