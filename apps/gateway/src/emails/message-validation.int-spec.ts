import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const base = { to: 'ann@example.com', from: 'promo@elipackage.test', text: 'hello', subject: 'Validation' };
const pdf = Buffer.from('%PDF-1.4\n').toString('base64');

interface Detail {
  field: string;
  message: string;
}

// Each body is sent as POST /emails and as the only message of POST /emails/batch: one validator answers both.
const CASES: [name: string, body: Record<string, unknown>][] = [
  ['empty to', { ...base, to: '' }],
  ['missing to', { from: base.from, text: base.text, subject: base.subject }],
  ['to not a string', { ...base, to: 42 }],
  ['to not an address', { ...base, to: 'bad address' }],
  ['empty from', { ...base, from: '' }],
  ['empty subject', { ...base, subject: '' }],
  ['subject with a line break', { ...base, subject: 'a\r\nBcc: x@example.com' }],
  ['subject with an encoded word', { ...base, subject: '=?utf-8?q?hi?=' }],
  ['empty text', { ...base, text: '' }],
  ['empty html', { ...base, html: '' }],
  ['bad cc address', { ...base, cc: ['ok@example.com', 'not an address'] }],
  ['cc not a list', { ...base, cc: 'someone@example.com' }],
  ['reserved header', { ...base, headers: { From: 'x@example.com' } }],
  ['header with a line break', { ...base, headers: { 'X-Campaign': 'a\nb' } }],
  ['headers not an object', { ...base, headers: ['X-A'] }],
  ['attachment without fields', { ...base, attachments: [{}] }],
  [
    'attachment not base64',
    { ...base, attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: '!' }] },
  ],
  [
    'executable attachment',
    { ...base, attachments: [{ filename: 'a.exe', contentType: 'application/pdf', content: pdf }] },
  ],
  [
    'duplicate tag names',
    {
      ...base,
      tags: [
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ],
    },
  ],
  ['tracking not boolean', { ...base, tracking: { opens: 'no' } }],
  ['unknown tracking field', { ...base, tracking: { views: true } }],
  ['unknown field', { ...base, extra: true }],
  ['bad callback', { ...base, callbacks: ['ftp://example.com'] }],
  ['alias with a line break', { ...base, alias: 'a\nb' }],
  ['template and text', { ...base, templateId: '7d9f4a0e-0c1a-4f0e-9a55-3f4a3e2b1c0d' }],
  ['templateVersion without template', { ...base, templateVersion: 2 }],
  ['bad sendAt', { ...base, sendAt: 'tomorrow' }],
  ['several bad fields', { ...base, to: '', from: 'nope', subject: '', cc: [''] }],
];

describe('one validator for POST /emails and each message of POST /emails/batch (real Postgres and Redis)', () => {
  let app: NestFastifyApplication;
  let account: TestAccount;

  const post = (body: unknown, url: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  /** The 400 details of a body sent alone, and of the same body as message 0 of a batch (index prefix removed). */
  const bothRoutes = async (body: unknown): Promise<{ single: Detail[]; batch: Detail[] }> => {
    const single = await post(body, '/emails');
    expect(single.statusCode).toBe(400);
    const batch = await post({ messages: [body] }, '/emails/batch');
    expect(batch.statusCode).toBe(200);
    const [result] = batch.json().data.results;
    expect(result.status).toBe(400);
    return {
      single: single.json().error.details,
      batch: (result.error.details as Detail[]).map((d) => ({ ...d, field: d.field.replace(/^messages\[0\]\.?/, '') })),
    };
  };

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    account = await createAccount({ name: `validation-${Date.now()}`, senders: ['elipackage.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('answers an empty `to` with the same field and rule on both routes', async () => {
    const { single, batch } = await bothRoutes({ ...base, to: '' });
    expect(single).toEqual([{ field: 'to', message: 'to should not be empty' }]);
    expect(batch).toEqual(single);
  });

  it.each(CASES)('answers %s with the same details on both routes', async (_name, body) => {
    const { single, batch } = await bothRoutes(body);
    expect(single.length).toBeGreaterThan(0);
    expect(batch).toEqual(single);
  });
});
