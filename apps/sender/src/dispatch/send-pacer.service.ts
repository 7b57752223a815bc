import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueueName } from '@postline/contracts';
import { GroupCommit } from '@postline/database';
import { createRedis } from '@postline/queue';
import type { Cluster, Redis } from 'ioredis';
import type { Env } from '../env';

// GCRA ("virtual scheduling"): the key holds the theoretical time of the next free slot, on Redis's clock so
// every replica shares one. A call takes ARGV[2] consecutive slots and returns how long until the first (µs).
const TAKE_SLOTS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next = tat + interval * count
redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.floor((next - now) / 1000) + 60000)
return tat - now`;

/**
 * Spaces SendEmail calls of all sender replicas exactly 1/rate apart. BullMQ's limiter counts jobs in
 * fixed windows, which lets up to twice the rate through in a second that straddles two windows and loses
 * a little at every window edge; this pacer holds the rate itself, the limiter only keeps jobs from being
 * taken far ahead of it.
 */
@Injectable()
export class SendPacer implements OnApplicationShutdown {
  private readonly redis: Redis | Cluster;
  private readonly key: string;
  private intervalMicros = 0;
  // Callers arriving together take their slots in one round trip, in order.
  private readonly slots = new GroupCommit<undefined, number>((callers) => this.takeSlots(callers.length), 1000, 1);

  constructor(config: ConfigService<Env, true>) {
    this.redis = createRedis(config.get('REDIS_URL', { infer: true }), { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('takeSendSlots', { numberOfKeys: 1, lua: TAKE_SLOTS });
    // Under the queue prefix (and its hash tag), beside the queue's own keys.
    this.key = `${config.get('QUEUE_PREFIX', { infer: true })}:${QueueName.EmailSend}:pacer`;
  }

  setRate(perSecond: number): void {
    this.intervalMicros = Math.round(1_000_000 / perSecond);
  }

  /** Resolves when this call may go to SES, with the time (epoch ms) its slot was due. */
  async acquire(): Promise<number> {
    if (this.intervalMicros === 0) return Date.now();
    const waitMicros = await this.slots.submit(undefined);
    const due = Date.now() + waitMicros / 1000;
    if (waitMicros >= 1000) await new Promise((resolve) => setTimeout(resolve, Math.round(waitMicros / 1000)));
    return due;
  }

  /** Waits (µs) for `count` consecutive slots. */
  private async takeSlots(count: number): Promise<number[]> {
    const interval = this.intervalMicros;
    const first = await (
      this.redis as (Redis | Cluster) & { takeSendSlots(key: string, interval: number, count: number): Promise<number> }
    ).takeSendSlots(this.key, interval, count);
    return Array.from({ length: count }, (_, i) => first + i * interval);
  }

  /** After the worker closed (onModuleDestroy): no job is waiting for a slot any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
