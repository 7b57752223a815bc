import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createRedis } from '@postline/queue';
import type { Cluster, Redis } from 'ioredis';
import type { Env } from '../env';

/**
 * The gateway's own Redis connections, for rate limits and for announcing API key changes to every replica.
 * Commands fail at once when Redis is down (no offline queue): each caller has an answer that needs no Redis.
 * Commands issued in the same tick go out as one pipeline (both limits of a request: one round trip).
 */
@Injectable()
export class GatewayRedis implements OnModuleDestroy {
  private readonly logger = new Logger(GatewayRedis.name);
  readonly client: Redis | Cluster;
  /** Channels need a connection of their own (a subscribed connection takes no other command). */
  readonly subscriber: Redis | Cluster;
  readonly prefix: string;

  constructor(config: ConfigService<Env, true>) {
    // One server or a cluster (REDIS_URL): every key below carries the QUEUE_PREFIX hash tag.
    const url = config.get('REDIS_URL', { infer: true });
    this.prefix = config.get('QUEUE_PREFIX', { infer: true });
    this.client = createRedis(url, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
    });
    this.subscriber = createRedis(url, { maxRetriesPerRequest: null });
    let down = false;
    this.client.on('error', (error: Error) => {
      if (!down) this.logger.warn(`Redis unreachable (${error.message}): rate limits fall back to this process`);
      down = true;
    });
    this.client.on('ready', () => (down = false));
    this.subscriber.on('error', () => undefined);
  }

  onModuleDestroy(): void {
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}
