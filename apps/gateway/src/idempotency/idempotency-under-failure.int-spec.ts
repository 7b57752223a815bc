import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';
import { IdempotencyService } from './idempotency.service';

const email = { to: 'user@example.com', from: 'promo@shop.test', text: 'hello', subject: 'Hi' };

// Under no sequence of failures and retries is an email created twice for one Idempotency-Key.
describe('Idempotency-Key under failure (gateway, real Postgres)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  const post = (url: string, body: unknown, key: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: `Bearer ${account.apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      payload: JSON.stringify(body),
    });
  const emailsWith = async (externalId: string) =>
    (
      await testPool().query<{ id: string }>(`SELECT "id" FROM "Email" WHERE "accountId" = $1 AND "externalId" = $2`, [
        account.accountId,
        externalId,
      ])
    ).rows.map((r) => r.id);

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  afterEach(() => jest.restoreAllMocks());

  it('creates the valid email of a poisoned batch once, however often the batch is retried with its key', async () => {
    const body = {
      messages: [
        { ...email, externalId: 'idem-batch' },
        { ...email, text: 'nul \u0000' },
      ],
    };
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await post('/emails/batch', body, 'batch-key-1'));

    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(responses.map((r) => r.headers['idempotent-replayed'])).toEqual([undefined, 'true', 'true']);
    const results = responses.map((r) => r.json().data.results);
    expect(results.map((r) => r[1].status)).toEqual([400, 400, 400]);
    expect(new Set(results.map((r) => r[0].data.id)).size).toBe(1);
    expect(await emailsWith('idem-batch')).toEqual([results[0][0].data.id]);
  });

  it('replays the stored email when the request failed after its commit (recording the response never runs apart)', async () => {
    // The failure after the emails' commit: the step that used to record the response on its own.
    jest
      .spyOn(IdempotencyService.prototype, 'complete')
      .mockRejectedValueOnce(new Error('connection lost after commit'));
    const body = { ...email, externalId: 'idem-crash' };

    const first = await post('/emails', body, 'crash-key-1');
    const retry = await post('/emails', body, 'crash-key-1');

    expect(first.statusCode).toBe(500);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await emailsWith('idem-crash')).toEqual([retry.json().data.id]);
  });

  it('releases the key with the rollback when storing fails, so the retry stores the email once', async () => {
    const { AcceptanceBatcher } = await import('../emails/acceptance-batcher.service');
    jest
      .spyOn(AcceptanceBatcher.prototype as unknown as { store: () => Promise<unknown> }, 'store')
      .mockRejectedValueOnce(Object.assign(new Error('value too long'), { code: '22001' }));
    const body = { ...email, externalId: 'idem-rollback' };

    const first = await post('/emails', body, 'rollback-key-1');
    const retry = await post('/emails', body, 'rollback-key-1');

    expect(first.statusCode).toBe(500);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await emailsWith('idem-rollback')).toEqual([retry.json().data.id]);
  });
});
