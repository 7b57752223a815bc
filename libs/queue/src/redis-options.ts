import { parseRedisUrl } from '@postline/config';
import { createIORedisClient, RedisConnection, type RedisOptions } from 'bullmq';
import { Cluster, type ClusterOptions, Redis } from 'ioredis';

// Marks BullMQ connection options that stand for a cluster; the client factory below reads it.
const CLUSTER_NODES = Symbol('postline.redisClusterNodes');
type ClusterMarked = RedisOptions & { [CLUSTER_NODES]?: { host: string; port: number }[] };

/**
 * Connection options for BullMQ (`connection:`) from `REDIS_URL` — one server (`redis://host:port/db`) or a
 * Redis Cluster (`redis+cluster://host:port,host:port`). Always options, never a client, so BullMQ owns and
 * closes every connection it opens; for a cluster they carry the seed nodes, and BullMQ's client factory
 * (installed here) turns them into an ioredis `Cluster`.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const target = parseRedisUrl(url);
  const auth: RedisOptions = {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
  };
  if (target.kind === 'server') return { host: target.host, port: target.port, db: target.db, ...auth };
  installClusterClientFactory();
  const options: ClusterMarked = { ...auth, host: target.nodes[0].host, port: target.nodes[0].port };
  options[CLUSTER_NODES] = target.nodes;
  return options;
}

/**
 * Connection of a BullMQ worker: it waits for Redis to come back instead of failing its commands. Every
 * `@QueueWorker` gets it: @nestjs/bullmq otherwise builds workers from the registered queue's producer
 * options, which fail fast when Redis is down.
 */
export function workerConnection(redisUrl: string): RedisOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
}

/**
 * A Redis client for everything that is not a queue (caches, the send pacer, test cleanup): `Redis` for one
 * server, `Cluster` for a cluster, with the same per-connection options either way. Keys must share the
 * `QUEUE_PREFIX` hash tag, so multi-key commands and scripts stay in one slot on a cluster.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis | Cluster {
  return clientFor({ ...redisOptionsFromUrl(url), ...options });
}

function clientFor(options: ClusterMarked): Redis | Cluster {
  const nodes = options[CLUSTER_NODES];
  if (!nodes) return new Redis(options);
  // The cluster finds its nodes and reconnects itself: drop what names one server or retries one connection.
  const { enableOfflineQueue, lazyConnect, host, port, db, path, retryStrategy, sentinels, readOnly, ...perNode } =
    options;
  void [host, port, db, path, retryStrategy, sentinels, readOnly];
  delete (perNode as ClusterMarked)[CLUSTER_NODES];
  const clusterOptions: ClusterOptions = {
    redisOptions: perNode,
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    // Keys of one {tag} live on one master; reads go there too so a job is never read from a lagging replica.
    scaleReads: 'master',
    // The slot map is read at connect and after a MOVED; ioredis's 1 s default gives up on a busy node.
    slotsRefreshTimeout: 5000,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
  };
  return new Cluster(nodes, clusterOptions);
}

let factoryInstalled = false;

function installClusterClientFactory(): void {
  if (factoryInstalled) return;
  factoryInstalled = true;
  const previous = RedisConnection.clientFactory;
  RedisConnection.clientFactory = (opts) => {
    const marked = opts as ClusterMarked;
    if (!marked[CLUSTER_NODES] && previous) return previous(opts);
    return createIORedisClient(clientFor(marked));
  };
}
