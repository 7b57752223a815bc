import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { JobSchedules } from '@postline/queue';
import type { Env } from '../env';
import { SenderIdentitiesService } from './sender-identities.service';

export const IDENTITY_SYNC_SCHEDULER_ID = 'identity-sync';

/**
 * Schedules the identity sync (every gateway may, BullMQ makes one job per interval for all of them). In
 * auto-verify mode, or with IDENTITY_SYNC_EVERY_MS=0, the schedule is removed instead.
 */
@Injectable()
export class IdentitySyncScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly schedules: JobSchedules,
    private readonly senders: SenderIdentitiesService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onApplicationBootstrap(): void {
    void this.register();
  }

  register(): Promise<void> {
    const every = this.config.get('IDENTITY_SYNC_EVERY_MS', { infer: true });
    const active = this.senders.mode === 'ses' && every > 0;
    return this.schedules.keep(IDENTITY_SYNC_SCHEDULER_ID, JobName.SyncSenderIdentities, {}, active ? every : null);
  }
}
