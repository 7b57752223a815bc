import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { AccountBlockCache } from './account-block-cache.service';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function fakeRedis(store = new Map<string, string>(), down = false) {
  const calls: unknown[][] = [];
  const fail = () => Promise.reject(new Error("Stream isn't writeable"));
  const redis = {
    mget: (keys: string[]) => (down ? fail() : Promise.resolve(keys.map((k) => store.get(k) ?? null))),
    set: (key: string, value: string, ...args: unknown[]) => {
      calls.push(['set', key, value, ...args]);
      if (down) return fail();
      if (args.includes('NX') && store.has(key)) return Promise.resolve(null);
      store.set(key, value);
      return Promise.resolve('OK');
    },
    del: (key: string) => {
      calls.push(['del', key]);
      if (down) return fail();
      store.delete(key);
      return Promise.resolve(1);
    },
    disconnect: () => undefined,
  };
  return { redis: redis as unknown as Redis, store, calls };
}

function fakePool(states: Record<string, { reputationState: string; reputationReason: string | null }>) {
  const queries: unknown[] = [];
  const pool = {
    query: (_sql: string, params: string[]) => {
      queries.push(params);
      const row = states[params[0]];
      return Promise.resolve({ rows: row ? [row] : [] });
    },
  };
  return { pool: pool as unknown as Pool, queries };
}

const options = { prefix: '{t}', ttlSeconds: 60 };

describe(AccountBlockCache.name, () => {
  it('reads the flag from Redis without touching Postgres', async () => {
    const { redis } = fakeRedis(
      new Map([[`{t}:account-block:${A}`, JSON.stringify({ blocked: true, reason: 'spam' })]]),
    );
    const { pool, queries } = fakePool({});
    const sut = new AccountBlockCache(redis, pool, options);

    expect(await sut.state(A)).toEqual({ blocked: true, reason: 'spam' });
    expect(queries).toHaveLength(0);
  });

  it('rebuilds a missing copy from Postgres and caches it only if nobody published meanwhile (SET NX)', async () => {
    const { redis, store, calls } = fakeRedis();
    const { pool } = fakePool({
      [A]: { reputationState: 'BLOCKED', reputationReason: 'bounces' },
      [B]: { reputationState: 'WARNING', reputationReason: 'x' },
    });
    const sut = new AccountBlockCache(redis, pool, options);

    const states = await sut.states([A, B, A]);

    expect(states.get(A)).toEqual({ blocked: true, reason: 'bounces' });
    expect(states.get(B)).toEqual({ blocked: false, reason: null });
    expect(calls).toContainEqual([
      'set',
      `{t}:account-block:${A}`,
      JSON.stringify({ blocked: true, reason: 'bounces' }),
      'EX',
      60,
      'NX',
    ]);
    expect(store.size).toBe(2);
  });

  it('answers concurrent reads with one MGET sent after all of them asked', async () => {
    const store = new Map([[`{t}:account-block:${A}`, JSON.stringify({ blocked: false, reason: null })]]);
    const { redis } = fakeRedis(store);
    const mget = jest.spyOn(redis, 'mget');
    const sut = new AccountBlockCache(redis, fakePool({}).pool, options);

    const first = sut.state(A);
    const second = sut.state(B);
    // A block published after the reads were asked for, but before they were sent, is what they see.
    store.set(`{t}:account-block:${A}`, JSON.stringify({ blocked: true, reason: 'operator' }));

    expect(await first).toEqual({ blocked: true, reason: 'operator' });
    expect(await second).toEqual({ blocked: false, reason: null });
    expect(mget).toHaveBeenCalledTimes(1);
    expect(await sut.state(A)).toEqual({ blocked: true, reason: 'operator' });
    expect(mget).toHaveBeenCalledTimes(2);
  });

  it('reads Postgres when Redis is down', async () => {
    const { redis } = fakeRedis(new Map(), true);
    const { pool } = fakePool({ [A]: { reputationState: 'BLOCKED', reputationReason: 'note' } });
    const sut = new AccountBlockCache(redis, pool, options);

    expect(await sut.isAccountBlocked(A)).toBe(true);
    expect(await sut.isAccountBlocked(B)).toBe(false);
  });

  it('overwrites the copy on publish, and drops it when the write fails', async () => {
    const { redis, store } = fakeRedis(
      new Map([[`{t}:account-block:${A}`, JSON.stringify({ blocked: false, reason: null })]]),
    );
    const sut = new AccountBlockCache(redis, fakePool({}).pool, options);

    await sut.publish(A, { blocked: true, reason: 'operator' });
    expect(JSON.parse(store.get(`{t}:account-block:${A}`) as string)).toEqual({ blocked: true, reason: 'operator' });

    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const failing = { ...redis, set: () => Promise.reject(new Error('down')) } as unknown as Redis;
    const del = jest.spyOn(failing, 'del');
    await new AccountBlockCache(failing, fakePool({}).pool, options).publish(A, { blocked: false, reason: null });
    expect(del).toHaveBeenCalledWith(`{t}:account-block:${A}`);
  });
});
