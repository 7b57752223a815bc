import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { GatewayRedis } from '../redis/gateway-redis.service';

/** What changed: one key (revoked, regenerated), or an account (its rate limits). */
export type KeyChange = { kind: 'key'; id: string } | { kind: 'account'; id: string };

export interface KeyChangeListener {
  /** One key or account changed: forget what is cached about it. */
  changed(change: KeyChange): void;
  /** Announcements may have been missed (the channel was down): forget everything. */
  reset(): void;
}

/**
 * Announces API key and account changes to every gateway replica through a Redis channel, so a revoked key
 * fails everywhere at once. `live` says whether announcements are being received; while they are not, the
 * caches that rely on them must fall back to a short TTL.
 */
@Injectable()
export class KeyChanges implements OnModuleInit {
  private readonly logger = new Logger(KeyChanges.name);
  private readonly channel: string;
  private readonly listeners: KeyChangeListener[] = [];
  live = false;

  constructor(private readonly redis: GatewayRedis) {
    this.channel = `${redis.prefix}:api-key-changes`;
  }

  listen(listener: KeyChangeListener): void {
    this.listeners.push(listener);
  }

  onModuleInit(): void {
    const { subscriber } = this.redis;
    const subscribe = () =>
      subscriber.subscribe(this.channel).then(
        () => {
          // Whatever was announced while we were not listening is lost: start from Postgres again.
          for (const listener of this.listeners) listener.reset();
          this.live = true;
        },
        (error: Error) => this.logger.warn(`cannot subscribe to key changes: ${error.message}`),
      );
    subscriber.on('ready', () => void subscribe());
    if (subscriber.status === 'ready') void subscribe();
    subscriber.on('close', () => (this.live = false));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const [kind, id] = message.split(':');
      if ((kind === 'key' || kind === 'account') && id) this.deliver({ kind, id });
    });
  }

  /** Tells this replica at once and the others through Redis; a publish lost to a Redis failure is logged. */
  async announce(change: KeyChange): Promise<void> {
    this.deliver(change);
    try {
      await this.redis.client.publish(this.channel, `${change.kind}:${change.id}`);
    } catch (error) {
      this.logger.warn(`could not announce ${change.kind} ${change.id}: ${(error as Error).message}`);
    }
  }

  private deliver(change: KeyChange): void {
    for (const listener of this.listeners) listener.changed(change);
  }
}
