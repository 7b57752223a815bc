import type { RedisOptions } from 'bullmq';

/** Connection options from a `redis://[:password@]host:port[/db]` URL. */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

/**
 * Connection of a BullMQ worker: it waits for Redis to come back instead of failing its commands. Pass it in
 * `@Processor(queue, { connection: workerConnection() })`: @nestjs/bullmq otherwise builds workers from the
 * registered queue's producer options, which fail fast when Redis is down.
 */
export function workerConnection(redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): RedisOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
}
