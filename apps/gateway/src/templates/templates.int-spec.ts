import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, createTestApp, type TestAccount, testPool } from '@postline/testing';
import { AppModule } from '../app.module';
import { configureGateway } from '../configure-app';

const welcome = {
  name: 'welcome',
  subject: 'Welcome, {{firstName}}',
  html: '<p>Hello {{firstName}}, order {{order.id}}</p>',
  text: 'Hello {{firstName}}, order {{order.id}}',
};

describe('/templates and templated emails (gateway, real Postgres)', () => {
  let app: NestFastifyApplication;
  let alice: TestAccount;
  let bob: TestAccount;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, account = alice) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${account.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  const createTemplate = async (body: unknown = welcome, account = alice) => {
    const res = await call('POST', '/templates', body, account);
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; version: number };
  };

  beforeAll(async () => {
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    alice = await createAccount({ senders: ['shop.test'] });
    bob = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  it('creates, updates (a new immutable version each time), lists versions and deletes a template', async () => {
    const created = await createTemplate();
    expect(created).toMatchObject({ ...welcome, version: 1, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const renamed = await call('PATCH', `/templates/${created.id}`, { name: 'welcome-2' });
    expect(renamed.json().data).toMatchObject({ name: 'welcome-2', version: 1 });

    const changed = await call('PATCH', `/templates/${created.id}`, { subject: 'Hi {{firstName}}', html: null });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data).toMatchObject({
      version: 2,
      subject: 'Hi {{firstName}}',
      html: null,
      text: welcome.text,
    });

    const versions = await call('GET', `/templates/${created.id}/versions`);
    expect(versions.json().data.items.map((v: { version: number; subject: string }) => [v.version, v.subject])).toEqual(
      [
        [2, 'Hi {{firstName}}'],
        [1, welcome.subject],
      ],
    );
    const first = await call('GET', `/templates/${created.id}/versions/1`);
    expect(first.json().data).toMatchObject({ version: 1, html: welcome.html });
    expect((await call('GET', `/templates/${created.id}/versions/9`)).statusCode).toBe(404);

    const list = await call('GET', '/templates?limit=50');
    expect(list.json().data.items).toContainEqual(expect.objectContaining({ id: created.id, version: 2 }));

    const removed = await call('DELETE', `/templates/${created.id}`);
    expect(removed.json().data).toEqual({ id: created.id, deleted: true });
    expect((await call('GET', `/templates/${created.id}`)).statusCode).toBe(404);
    const email = await call('POST', '/emails', {
      to: 'a@example.com',
      from: 'news@shop.test',
      templateId: created.id,
    });
    expect(email.statusCode).toBe(404);
  });

  it('refuses a template without a body, with a syntax error, or with a line break in the subject, naming the field', async () => {
    const noBody = await call('POST', '/templates', { name: 'x', subject: 'y' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.details).toEqual([{ field: 'html', message: 'html or text is required' }]);

    const broken = await call('POST', '/templates', { name: 'x', subject: 'y', html: '<p>{{name</p>' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details[0]).toMatchObject({
      field: 'html',
      message: expect.stringMatching(/^template error in html/),
    });

    const header = await call('POST', '/templates', { name: 'x', subject: 'a\r\nBcc: x@y.z', text: 't' });
    expect(header.statusCode).toBe(400);
    expect(header.json().error.details[0].field).toBe('subject');
  });

  // The list takes a page's cursor and limit only (its query once inherited the suppression list's `address`).
  it('refuses a filter the template list does not have, naming it', async () => {
    const res = await call('GET', '/templates?address=reader@example.test');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('address');
  });

  it('previews with variables: HTML-escaped, raw with {{{ }}}, and a missing variable is a 400 naming it', async () => {
    const { id } = await createTemplate({ ...welcome, html: '<p>{{firstName}} {{{signature}}}</p>' });
    const ok = await call('POST', `/templates/${id}/render`, {
      variables: { firstName: '<Zoë>', signature: '<b>Team</b>', order: { id: 'A-1' } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().data).toEqual({
      version: 1,
      subject: 'Welcome, <Zoë>',
      html: '<p>&lt;Zoë&gt; <b>Team</b></p>',
      text: 'Hello <Zoë>, order A-1',
    });

    const missing = await call('POST', `/templates/${id}/render`, { variables: { firstName: 'Zoë', signature: '' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([
      { field: 'variables.order.id', message: 'missing variable "order.id" (text, line 1, column 30)' },
    ]);

    const tooBig = await call('POST', `/templates/${id}/render`, { variables: { blob: 'x'.repeat(20_000) } });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.details[0]).toMatchObject({
      field: 'variables',
      message: expect.stringMatching(/at most 16384 bytes/),
    });
  });

  it("keeps each account's templates to itself: 404 for another account's, and its emails cannot use them", async () => {
    const { id } = await createTemplate();
    for (const [method, url, body] of [
      ['GET', `/templates/${id}`, undefined],
      ['GET', `/templates/${id}/versions`, undefined],
      ['PATCH', `/templates/${id}`, { subject: 'stolen' }],
      ['POST', `/templates/${id}/render`, { variables: {} }],
      ['DELETE', `/templates/${id}`, undefined],
    ] as const) {
      expect((await call(method, url, body, bob)).statusCode).toBe(404);
    }
    const list = await call('GET', '/templates', undefined, bob);
    expect(list.json().data.items.map((t: { id: string }) => t.id)).not.toContain(id);

    const email = await call('POST', '/emails', { to: 'a@example.com', from: 'news@shop.test', templateId: id }, bob);
    expect(email.statusCode).toBe(404);
    expect(email.json().error.details).toEqual([{ field: 'templateId', message: `template ${id} not found` }]);
    expect((await call('GET', `/templates/${id}`)).statusCode).toBe(200);
  });

  it('accepts an email with templateId and variables, recording the version and storing the variables', async () => {
    const { id } = await createTemplate();
    await call('PATCH', `/templates/${id}`, { subject: 'v2 {{firstName}}' });
    const res = await call('POST', '/emails', {
      to: 'zoe@example.com',
      from: 'news@shop.test',
      templateId: id,
      variables: { firstName: 'Zoë', order: { id: 'A-1' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toMatchObject({
      templateId: id,
      templateVersion: 2,
      subject: 'v2 {{firstName}}',
      text: '',
      status: 'QUEUED',
    });
    const pinned = await call('POST', '/emails', {
      to: 'zoe@example.com',
      from: 'news@shop.test',
      templateId: id,
      templateVersion: 1,
    });
    expect(pinned.json().data).toMatchObject({ templateVersion: 1, subject: welcome.subject });

    const { rows } = await testPool().query(
      `SELECT "templateId", "templateVersion", "variables" FROM "Email" WHERE "id" = $1`,
      [res.json().data.id],
    );
    expect(rows).toEqual([
      { templateId: id, templateVersion: 2, variables: { firstName: 'Zoë', order: { id: 'A-1' } } },
    ]);
    const detail = await call('GET', `/emails/${res.json().data.id}`);
    expect(detail.json().data).toMatchObject({ templateId: id, templateVersion: 2 });
  });

  it('refuses template fields that do not fit, naming the field', async () => {
    const { id } = await createTemplate();
    const base = { to: 'zoe@example.com', from: 'news@shop.test' };
    const cases: [unknown, string, RegExp][] = [
      [{ ...base, templateId: id, subject: 'mine' }, 'subject', /must not be given with templateId/],
      [{ ...base, templateId: id, html: '<p>x</p>' }, 'html', /must not be given with templateId/],
      [{ ...base, templateId: 'nope' }, 'templateId', /UUID/],
      [{ ...base, subject: 's', text: 't', templateVersion: 2 }, 'templateVersion', /requires templateId/],
      [{ ...base, templateId: id, templateVersion: 0 }, 'templateVersion', /not be less than 1/],
      [{ ...base, templateId: id, variables: ['a'] }, 'variables', /must be an object/],
      [{ ...base }, 'text', /text is required/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', '/emails', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    const noVersion = await call('POST', '/emails', { ...base, templateId: id, templateVersion: 7 });
    expect(noVersion.statusCode).toBe(404);
    expect(noVersion.json().error.details).toEqual([
      { field: 'templateVersion', message: `template ${id} has no version 7` },
    ]);
  });

  it('accepts a batch of templated and inline personalized messages, refusing only the one naming no template', async () => {
    const { id } = await createTemplate();
    const messages = [
      ...Array.from({ length: 3 }, (_, i) => ({
        to: `user${i}@example.com`,
        from: 'news@shop.test',
        templateId: id,
        variables: { firstName: `User ${i}`, order: { id: `A-${i}` } },
      })),
      { to: 'x@example.com', from: 'news@shop.test', templateId: '00000000-0000-4000-8000-000000000000' },
      {
        to: 'y@example.com',
        from: 'news@shop.test',
        subject: 'Hi {{n}}',
        text: 'Dear {{n}}',
        html: '<b>{{n}}</b>',
        variables: { n: 'Y' },
      },
    ];
    const res = await call('POST', '/emails/batch', { messages });
    expect(res.statusCode).toBe(200);
    const body = res.json().data;
    expect(body).toMatchObject({ accepted: 4, rejected: 1 });
    expect(body.results[3]).toMatchObject({
      index: 3,
      status: 400,
      error: { details: [{ field: 'messages[3].templateId', message: expect.stringMatching(/not found/) }] },
    });
    expect(body.results[0].data).toMatchObject({ templateId: id, templateVersion: 1, status: 'QUEUED' });
    expect(body.results[4].data).toMatchObject({ subject: 'Hi {{n}}', html: '<b>{{n}}</b>' });
    expect(body.results[4].data.templateId).toBeUndefined();
  });
});
