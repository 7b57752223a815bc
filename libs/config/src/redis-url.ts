/** Where Redis is: one server, or the seed nodes of a Redis Cluster. */
export type RedisTarget =
  | { kind: 'server'; host: string; port: number; db: number; username?: string; password?: string; tls: boolean }
  | {
      kind: 'cluster';
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
      tls: boolean;
    };

const SERVER = /^rediss?:$/;
const CLUSTER = /^rediss?\+cluster:$/;

/**
 * Reads `REDIS_URL`: `redis://[user:password@]host:port[/db]` for one server (`rediss://` for TLS), or
 * `redis+cluster://[user:password@]host:port,host:port,…` for a Redis Cluster (`rediss+cluster://` for TLS):
 * any reachable nodes, the client discovers the rest. A cluster has no database number.
 * Throws a message naming the rule that failed.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const scheme = /^([a-z+]+:)\/\//i.exec(url)?.[1].toLowerCase();
  if (!scheme || !(SERVER.test(scheme) || CLUSTER.test(scheme))) {
    throw new Error('must start with redis://, rediss://, redis+cluster:// or rediss+cluster://');
  }
  const rest = url.slice(scheme.length + 2);
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const [hosts, ...path] = rest.slice(at + 1).split('/');
  const [user, password] = credentials ? credentials.split(':', 2) : [];
  const auth = {
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
  };
  const tls = scheme.startsWith('rediss');
  const nodes = hosts.split(',').map(parseHostPort);
  if (CLUSTER.test(scheme)) {
    if (path.some((p) => p !== '')) throw new Error('a Redis Cluster URL has no /db (a cluster has only database 0)');
    return { kind: 'cluster', nodes, ...auth, tls };
  }
  if (nodes.length !== 1) throw new Error('names several hosts: use redis+cluster://host:port,host:port for a cluster');
  const db = path[0] ? Number(path[0]) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error('database must be a whole number (redis://host:port/0)');
  return { kind: 'server', ...nodes[0], db, ...auth, tls };
}

function parseHostPort(part: string): { host: string; port: number } {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(part);
  if (!match) throw new Error(`"${part}" is not host or host:port`);
  const port = Number(match[2] ?? 6379);
  if (port < 1 || port > 65535) throw new Error(`port of "${part}" must be 1-65535`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}
