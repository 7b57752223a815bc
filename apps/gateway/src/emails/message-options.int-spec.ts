import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const base = {
  to: 'ann@example.com',
  from: 'promo@elipackage.test',
  text: 'hello',
  subject: 'Options',
};
const pdf = Buffer.from('%PDF-1.4\n% a tiny test file\n').toString('base64');

describe('message options of POST /emails and /emails/batch (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  const post = (body: unknown, url = '/emails') =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
  const get = (url: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${account.apiKey}` } });

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ name: `options-${Date.now()}`, senders: ['elipackage.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('stores every option, answers them back, and keeps the attachment bytes apart from the email row', async () => {
    const res = await post({
      ...base,
      fromName: 'Éli Package',
      cc: ['Carl@Example.com'],
      bcc: ['dana@example.com'],
      replyTo: ['support@elipackage.test'],
      headers: { 'X-Campaign-Id': 'winter', 'In-Reply-To': '<a@b>' },
      tags: [
        { name: 'campaign', value: 'winter-sale' },
        { name: 'tier', value: 'gold' },
      ],
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: pdf }],
      tracking: { opens: false },
    });
    expect(res.statusCode).toBe(201);
    const data = res.json().data;
    expect(data).toMatchObject({
      status: 'QUEUED',
      fromName: 'Éli Package',
      cc: ['Carl@example.com'],
      bcc: ['dana@example.com'],
      replyTo: ['support@elipackage.test'],
      headers: { 'X-Campaign-Id': 'winter', 'In-Reply-To': '<a@b>' },
      tags: [
        { name: 'campaign', value: 'winter-sale' },
        { name: 'tier', value: 'gold' },
      ],
      tracking: { opens: false },
      attachments: [
        { filename: 'invoice.pdf', contentType: 'application/pdf', size: Buffer.from(pdf, 'base64').length },
      ],
    });
    const { rows } = await testPool().query(
      `SELECT a."filename", a."content", e."attachmentCount" FROM "EmailAttachment" a JOIN "Email" e ON e."id" = a."emailId"
       WHERE a."emailId" = $1`,
      [data.id],
    );
    expect(rows).toEqual([{ filename: 'invoice.pdf', content: Buffer.from(pdf, 'base64'), attachmentCount: 1 }]);

    const detail = (await get(`/emails/${data.id}`)).json().data;
    expect(detail.attachments).toEqual(data.attachments);
    expect(detail.tags).toEqual(data.tags);
  });

  it('drops a suppressed cc or bcc (recorded in droppedRecipients) and still sends to the others', async () => {
    await testPool().query(
      `INSERT INTO "Suppression" ("id", "accountId", "address", "reason") VALUES (gen_random_uuid(), $1, 'gone@example.com', 'HARD_BOUNCE')`,
      [account.accountId],
    );
    const res = await post({ ...base, cc: ['gone@example.com', 'kept@example.com'], bcc: ['Gone@example.com'] });
    // bcc repeats cc's address (case-insensitively): refused before any suppression check.
    expect(res.statusCode).toBe(400);

    const ok = await post({ ...base, cc: ['kept@example.com'], bcc: ['gone@example.com'] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data).toMatchObject({
      status: 'QUEUED',
      cc: ['kept@example.com'],
      droppedRecipients: [
        { address: 'gone@example.com', field: 'bcc', reason: "on the account's suppression list (HARD_BOUNCE)" },
      ],
    });
    expect(ok.json().data.bcc).toBeUndefined();
    const { rows } = await testPool().query(`SELECT "cc", "bcc" FROM "Email" WHERE "id" = $1`, [ok.json().data.id]);
    expect(rows).toEqual([{ cc: ['kept@example.com'], bcc: [] }]);
  });

  it('refuses each rule with 400 naming the field, on both routes', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ fromName: 'Eve\r\nBcc: x@y.z' }, 'fromName', /CR, LF/],
      [{ cc: ['not-an-address'] }, 'cc', /cc\[0\]/],
      [
        {
          cc: Array.from({ length: 30 }, (_, i) => `c${i}@example.com`),
          bcc: Array.from({ length: 30 }, (_, i) => `b${i}@example.com`),
        },
        'cc',
        /at most 50 recipients/,
      ],
      [{ cc: ['ann@example.com'] }, 'cc', /already a recipient/],
      [{ replyTo: ['x@y.z\r\n'] }, 'replyTo', /replyTo\[0\]/],
      [{ headers: { From: 'ceo@bank.test' } }, 'headers', /"From" cannot be set/],
      [{ headers: { 'List-Unsubscribe': '<x>' } }, 'headers', /cannot be set/],
      [{ headers: { 'X-Evil': 'a\r\nBcc: x@y.z' } }, 'headers', /CR, LF/],
      [{ headers: { 'X-Name': 'café' } }, 'headers', /US-ASCII/],
      [{ headers: { 'X Bad': 'v' } }, 'headers', /not a header name/],
      [{ headers: { 'X-Postline-Email-Id': 'v' } }, 'headers', /reserved/],
      [{ tags: [{ name: 'bad tag', value: 'v' }] }, 'tags[0].name', /ASCII letters/],
      [{ tags: [{ name: 'email_id', value: 'v' }] }, 'tags', /reserved/],
      [{ tags: Array.from({ length: 49 }, (_, i) => ({ name: `t${i}`, value: 'v' })) }, 'tags', /at most 48/],
      [
        { attachments: [{ filename: 'run.exe', contentType: 'application/pdf', content: pdf }] },
        'attachments[0].filename',
        /executable/,
      ],
      [
        { attachments: [{ filename: 'a.pdf', contentType: 'application/x-msdownload', content: pdf }] },
        'attachments[0].contentType',
        /executable/,
      ],
      [
        { attachments: [{ filename: '../etc/passwd', contentType: 'text/plain', content: pdf }] },
        'attachments[0].filename',
        /not a path/,
      ],
      [
        { attachments: [{ filename: 'a\r\n.pdf', contentType: 'text/plain', content: pdf }] },
        'attachments[0].filename',
        /control characters/,
      ],
      [
        { attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: 'not base64!' }] },
        'attachments[0].content',
        /base64/,
      ],
      [
        {
          attachments: [
            {
              filename: 'a.pdf',
              contentType: 'application/pdf',
              content: Buffer.from('MZ\x90\x00').toString('base64'),
            },
          ],
        },
        'attachments[0].content',
        /executable program/,
      ],
      [{ tracking: { opens: 'no' } }, 'tracking.opens', /boolean/],
      [{ tracking: { views: true } }, 'tracking.views', /should not exist/],
    ];
    for (const [options, field, message] of cases) {
      const single = await post({ ...base, ...options });
      expect({ options, status: single.statusCode }).toEqual({ options, status: 400 });
      const details = single.json().error.details as { field: string; message: string }[];
      expect({ options, details }).toEqual({
        options,
        details: expect.arrayContaining([{ field, message: expect.stringMatching(message) }]),
      });
      const batch = await post({ messages: [base, { ...base, ...options }] }, '/emails/batch');
      expect(batch.statusCode).toBe(200);
      const [first, second] = batch.json().data.results;
      expect(first.status).toBe(201);
      expect(second.status).toBe(400);
      expect(second.error.details).toEqual(
        expect.arrayContaining([{ field: `messages[1].${field}`, message: expect.stringMatching(message) }]),
      );
    }
  });

  it('echoes the tags in the callbacks of the email', async () => {
    // An unverified sender is refused at acceptance: its first status change is called back at once.
    const res = await post({
      ...base,
      from: 'someone@unverified.test',
      callbacks: ['https://hooks.example.com/postline'],
      tags: [{ name: 'campaign', value: 'winter-sale' }],
    });
    expect(res.json().data.status).toBe('BAD_FROM');
    const { rows } = await testPool().query<{ payload: { data: { tags: unknown } } }>(
      `SELECT "payload" FROM "WebhookDelivery" WHERE "emailId" = $1`,
      [res.json().data.id],
    );
    expect(rows.map((r) => r.payload.data.tags)).toEqual([[{ name: 'campaign', value: 'winter-sale' }]]);
  });

  it('filters GET /emails by tag=name:value, within the account only', async () => {
    const tagged = await post({ ...base, tags: [{ name: 'campaign', value: 'spring-2027' }] });
    await post({ ...base, tags: [{ name: 'campaign', value: 'autumn-2027' }] });
    const other = await createAccount({ name: `options-other-${Date.now()}`, senders: ['elipackage.test'] });
    await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${other.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...base, tags: [{ name: 'campaign', value: 'spring-2027' }] }),
    });
    const res = await get('/emails?tag=campaign:spring-2027');
    expect(res.statusCode).toBe(200);
    expect(res.json().data.items.map((e: { id: string }) => e.id)).toEqual([tagged.json().data.id]);

    const bad = await get('/emails?tag=campaign');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('tag');
  });

  it('keeps the account tracking defaults (settings.trackOpens, settings.trackClicks)', async () => {
    const patch = (body: unknown) =>
      app.inject({
        method: 'PATCH',
        url: '/account',
        headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const bad = await patch({ settings: { trackClicks: 'no' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('settings.trackClicks');
    expect((await patch({ settings: { trackClicks: false } })).statusCode).toBe(200);
    expect((await get('/account')).json().data.settings).toMatchObject({ trackClicks: false });
  });
});
