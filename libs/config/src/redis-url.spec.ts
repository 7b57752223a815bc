import { parseRedisUrl } from './redis-url';

describe(parseRedisUrl.name, () => {
  it('reads one server with credentials, database and TLS', () => {
    expect(parseRedisUrl('rediss://app:s%40cret@cache.internal:6380/2')).toEqual({
      kind: 'server',
      host: 'cache.internal',
      port: 6380,
      db: 2,
      username: 'app',
      password: 's@cret',
      tls: true,
    });
    expect(parseRedisUrl('redis://127.0.0.1')).toEqual({ kind: 'server', host: '127.0.0.1', port: 6379, db: 0, tls: false });
  });

  it('reads the seed nodes of a cluster', () => {
    expect(parseRedisUrl('redis+cluster://:pw@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      password: 'pw',
      tls: false,
    });
  });

  it.each([
    ['http://127.0.0.1:6379', /must start with redis/],
    ['127.0.0.1:6379', /must start with redis/],
    ['redis://a:1,b:2', /use redis\+cluster/],
    ['redis+cluster://a:1,b:2/3', /has no \/db/],
    ['redis://a:99999', /1-65535/],
    ['redis+cluster://a:1,,b:2', /is not host or host:port/],
    ['redis://a:1/x', /whole number/],
  ])('refuses %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });
});
