import { LocalRedisCluster } from '@postline/testing';
import { Queue, Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { createRedis, redisOptionsFromUrl, workerConnection } from '@postline/queue';

describe('Redis Cluster connections', () => {
  let cluster: LocalRedisCluster;

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs a BullMQ queue and worker from a redis+cluster:// URL', async () => {
    const prefix = '{postline-test}';
    const queue = new Queue('cluster-check', { connection: redisOptionsFromUrl(cluster.url), prefix });
    const done = new Promise<string>((resolve) => {
      const worker = new Worker(
        'cluster-check',
        async (job) => {
          resolve(job.data.value as string);
          return 'ok';
        },
        { connection: workerConnection(cluster.url), prefix },
      );
      afterCleanups.push(() => worker.close());
    });
    await queue.add('check', { value: 'through the cluster' });
    await expect(done).resolves.toBe('through the cluster');
    await queue.close();
  });

  it('gives a Cluster client whose keys under one hash tag take multi-key commands', async () => {
    const redis = createRedis(cluster.url);
    try {
      expect(redis).toBeInstanceOf(Cluster);
      await redis.set('{postline-test}:account-block:a', '1');
      await redis.set('{postline-test}:account-block:b', '2');
      expect(await redis.mget('{postline-test}:account-block:a', '{postline-test}:account-block:b')).toEqual(['1', '2']);
      // Without the tag the same keys land in different slots: the reason QUEUE_PREFIX keeps its braces.
      await expect(redis.mget('postline-test:a', 'postline-test:b')).rejects.toThrow(/CROSSSLOT/);
    } finally {
      redis.disconnect();
    }
  });
});

const afterCleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of afterCleanups.splice(0)) await cleanup();
});
