import { retryAfterMs, retryingFetch } from './retrying-fetch';

describe(retryingFetch.name, () => {
  const seen: { method: string; key: string | null; body: string }[] = [];
  const waits: number[] = [];
  const answering = (...responses: (() => Response)[]) =>
    (async (input: Request | string | URL) => {
      const request = input as Request;
      seen.push({ method: request.method, key: request.headers.get('idempotency-key'), body: await request.text() });
      return (responses.shift() ?? (() => new Response('{}', { status: 200 })))();
    }) as typeof fetch;
  const sleep = async (ms: number) => {
    waits.push(ms);
  };

  beforeEach(() => {
    seen.length = 0;
    waits.length = 0;
  });

  it('retries a POST on 503 and 429 with one Idempotency-Key, honouring Retry-After', async () => {
    const sut = retryingFetch(
      answering(
        () => new Response('{}', { status: 503, headers: { 'retry-after': '2' } }),
        () => new Response('{}', { status: 429, headers: { 'retry-after': '1' } }),
        () => new Response('{"ok":1}', { status: 201 }),
      ),
      { sleep },
    );
    const res = await sut('http://gateway.test/emails', { method: 'POST', body: '{"to":"a@b.test"}' });
    expect(res.status).toBe(201);
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0].key).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.every((s) => s.body === '{"to":"a@b.test"}')).toBe(true);
    expect(waits).toEqual([2000, 1000]);
  });

  it('keeps the caller’s Idempotency-Key, gives up after the retries, and never retries a 4xx', async () => {
    const failing = () => new Response('{}', { status: 500 });
    const sut = retryingFetch(answering(failing, failing, failing), { sleep, retries: 2, baseDelayMs: 100 });
    const res = await sut('http://gateway.test/emails', { method: 'POST', headers: { 'idempotency-key': 'mine' } });
    expect(res.status).toBe(500);
    expect(seen.map((s) => s.key)).toEqual(['mine', 'mine', 'mine']);
    expect(waits.every((w) => w >= 50 && w <= 400)).toBe(true);
    seen.length = 0;
    const bad = await retryingFetch(
      answering(() => new Response('{}', { status: 400 })),
      { sleep },
    )('http://gateway.test/emails', { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it('does not retry a DELETE or PATCH that has no Idempotency-Key', async () => {
    const sut = retryingFetch(
      answering(() => new Response('{}', { status: 503 })),
      { sleep },
    );
    expect((await sut('http://gateway.test/senders/1', { method: 'DELETE' })).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
