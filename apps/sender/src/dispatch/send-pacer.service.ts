import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueName } from '@postline/contracts';
import { redisOptionsFromUrl } from '@postline/queue';
import { Redis } from 'ioredis';
import type { Env } from '../env';

// GCRA ("virtual scheduling"): the key holds the theoretical time of the next free slot, on Redis's clock so
// every replica shares one. Each call takes the next slot and returns how long to wait for it (µs).
const TAKE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
redis.call('SET', KEYS[1], string.format('%.0f', tat + interval), 'PX', math.floor((tat + interval - now) / 1000) + 60000)
return tat - now`;

/**
 * Spaces SendEmail calls of all sender replicas exactly 1/rate apart. BullMQ's limiter counts jobs in
 * fixed windows, which lets up to twice the rate through in a second that straddles two windows and loses
 * a little at every window edge; this pacer holds the rate itself, the limiter only keeps jobs from being
 * taken far ahead of it.
 */
@Injectable()
export class SendPacer implements OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly key: string;
  private intervalMicros = 0;

  constructor(config: ConfigService<Env, true>) {
    this.redis = new Redis({ ...redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })), lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('takeSendSlot', { numberOfKeys: 1, lua: TAKE_SLOT });
    // Under the queue prefix (and its hash tag), beside the queue's own keys.
    this.key = `${config.get('QUEUE_PREFIX', { infer: true })}:${QueueName.EmailSend}:pacer`;
  }

  setRate(perSecond: number): void {
    this.intervalMicros = Math.round(1_000_000 / perSecond);
  }

  /** Resolves when this call may go to SES. */
  async acquire(): Promise<void> {
    if (this.intervalMicros === 0) return;
    const waitMicros = await (this.redis as Redis & { takeSendSlot(key: string, interval: number): Promise<number> }).takeSendSlot(
      this.key,
      this.intervalMicros,
    );
    if (waitMicros >= 1000) await new Promise((resolve) => setTimeout(resolve, Math.round(waitMicros / 1000)));
  }

  /** After the worker closed (onModuleDestroy): no job is waiting for a slot any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
