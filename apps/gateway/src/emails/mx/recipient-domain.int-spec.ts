import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { LocalDnsServer } from './testing/local-dns-server';

// The MX check on (tests default it off), with node's resolver pointed at a DNS server of the test's own.
process.env.MX_CHECK_ENABLED = 'true';
process.env.MX_CHECK_TIMEOUT_MS = '300';

describe('recipient domain check through POST /emails (a local DNS server)', () => {
  const dns = new LocalDnsServer({
    'mx.test': { mx: [{ exchange: 'in.mx.test', priority: 10 }] },
    'implicit.test': { a: ['192.0.2.7'] },
    'nullmx.test': { mx: [{ exchange: '', priority: 0 }] },
    'nohost.test': {},
    'slow.test': { mx: 'hang' },
    'servfail.test': { mx: 'ESERVFAIL' },
  });
  let app: NestFastifyApplication;
  let account: TestAccount;

  const send = (to: string) =>
    app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}` },
      payload: { to, from: 'promo@elipackage.test', subject: 'Hello', text: 'Hi there' },
    });

  beforeAll(async () => {
    await dns.start();
    process.env.MX_CHECK_DNS_SERVERS = dns.address;
    const { AppModule } = await import('../../app.module');
    const { configureGateway } = await import('../../configure-app');
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['elipackage.test'] });
  });

  afterAll(async () => {
    await app?.close();
    await dns.stop();
    await closeTestPool();
  });

  it.each([
    ['a domain with MX hosts', 'jane@mx.test'],
    ['a domain with only an address (implicit MX)', 'jane@implicit.test'],
  ])('queues an email to %s', async (_name, to) => {
    const res = await send(to);
    expect(res.statusCode).toBe(201);
    expect(res.json().data.status).toBe('QUEUED');
  });

  it.each([
    ['a null MX', 'jane@nullmx.test', 'null MX'],
    ['a domain that does not exist', 'jane@nowhere.test', 'does not exist'],
    ['a domain with no mail host', 'jane@nohost.test', 'no mail host'],
  ])('stores an email to %s as BAD_TO with the reason', async (_name, to, reason) => {
    const res = await send(to);
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({ status: 'BAD_TO', statusReason: expect.stringContaining(reason) });
    const { rows } = await testPool().query(`SELECT "status" FROM "Email" WHERE "id" = $1`, [res.json().data.id]);
    expect(rows).toEqual([{ status: 'BAD_TO' }]);
  });

  it('accepts when the DNS times out or fails (fail open), within the timeout', async () => {
    const started = Date.now();
    expect((await send('jane@slow.test')).json().data.status).toBe('QUEUED');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await send('jane@servfail.test')).json().data.status).toBe('QUEUED');
  });

  it('looks each distinct domain of a batch up once, in parallel, and decides per message', async () => {
    const fresh = ['a.batch.test', 'b.batch.test', 'c.batch.test'];
    dns.set('a.batch.test', { mx: [{ exchange: 'in.a.batch.test', priority: 10 }] });
    dns.set('b.batch.test', { mx: [{ exchange: '', priority: 0 }] });
    dns.set('c.batch.test', { mx: 'hang' });
    const messages = Array.from({ length: 30 }, (_, i) => ({
      to: `user${i}@${fresh[i % 3]}`,
      from: 'promo@elipackage.test',
      subject: 'S',
      text: 'T',
    }));
    const started = Date.now();
    const res = await app.inject({
      method: 'POST',
      url: '/emails/batch',
      headers: { authorization: `Bearer ${account.apiKey}` },
      payload: { messages },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    const statuses = res.json().data.results.map((r: { data: { status: string } }) => r.data.status);
    expect(statuses).toEqual(Array.from({ length: 30 }, (_, i) => ['QUEUED', 'BAD_TO', 'QUEUED'][i % 3]));
    for (const domain of fresh) expect(dns.queries.filter((l) => l === `mx ${domain}`)).toHaveLength(1);
  });

  it('reuses the cached verdict for later requests', async () => {
    const before = dns.queries.length;
    await send('someone@mx.test');
    await send('someone@nullmx.test');
    expect(dns.queries.length).toBe(before);
  });
});
