import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { verifyUnsubscribeToken } from '@postline/contracts';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { simpleParser } from 'mailparser';
import { emailRow, historyOf, queueEmails, statusOf } from './support';

// The sender against aws-ses-v2-local: what SES receives, and the statuses and history it leaves behind.
describe('sender → aws-ses-v2-local', () => {
  let ses: LocalSes;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await LocalSes.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    // No SES_MAX_SEND_RATE: the emulator has no account quota, so the local default rate applies.
    delete process.env.SES_MAX_SEND_RATE;
    // This file counts writes per email: a loaded machine must not make calls late on their slots (re-slotted).
    process.env.SEND_LATE_SLOT_MS = '5000';
    process.env.SES_CONFIGURATION_SET = 'postline-events';
    const { AppModule } = await import('../src/app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await app.close();
    await ses.stop();
    await closeTestPool();
  });

  const storedEmailOf = async (emailId: string) => {
    const emails = await ses.emails();
    return emails.find((e) => e.headers?.some((h) => h.name === 'X-Postline-Email-Id' && h.value === emailId));
  };
  const mimeOf = async (messageId: string) => {
    const reply = JSON.parse(await ses.eml(messageId)) as { body: { data: number[] } | string };
    const raw = typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body.data).toString('utf8');
    return { raw, parsed: await simpleParser(raw) };
  };

  it('falls back to the local default rate when the emulator reports no quota', async () => {
    await eventually(async () =>
      /^postline_sender_max_send_rate 200$/m.test((await app.inject({ method: 'GET', url: '/metrics' })).body),
    );
  });

  it('sends an HTML email with a text alternative, the unsubscribe link and headers, and an encoded display name', async () => {
    const [id] = await queueEmails(app, account, [
      {
        to: 'zoe@example.com',
        alias: 'Zoë Ångström',
        subject: 'Grande réduction',
        text: '<html><body><h1>Offer</h1><p>20 % off <a href="https://shop.test/sale">everything</a></p></body></html>',
        unsubscribeMsg: 'Se désabonner',
        callbacks: ['https://hooks.example/h'],
        externalId: 'campaign-1',
      },
    ]);
    const row = await statusOf(id, ['SENT']);
    expect(row).toMatchObject({ dispatchState: 'CONFIRMED', dispatchAttempts: 1, statusReason: null });
    expect(row.sesMessageId).toMatch(/^ses-\d+$/);
    expect(row.dequeuedAt).not.toBeNull();
    expect(row.sentAt).not.toBeNull();

    const stored = await storedEmailOf(id);
    expect(stored).toBeDefined();
    expect(stored?.messageId).toBe(row.sesMessageId);
    expect(stored?.destination.to).toEqual([
      expect.stringMatching(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <zoe@example\.com>$/),
    ]);

    const { parsed } = await mimeOf(row.sesMessageId as string);
    expect(parsed.subject).toBe('Grande réduction');
    expect(parsed.from?.value[0].address).toBe('promo@shop.test');
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]).toEqual({ name: 'Zoë Ångström', address: 'zoe@example.com' });

    const html = parsed.html || '';
    const link = /<a href="(http[^"]+\/unsubscribe\/([^"]+))">Se désabonner<\/a>/.exec(html);
    expect(link).not.toBeNull();
    const [, url, token] = link as RegExpExecArray;
    expect(url.startsWith('https://postline.test/unsubscribe/')).toBe(true);
    expect(verifyUnsubscribeToken(token, process.env.UNSUBSCRIBE_SECRET as string)).toEqual({
      emailId: id,
      accountId: account.accountId,
    });
    expect(html).toContain('<h1>Offer</h1>');

    expect(parsed.text).toContain('OFFER');
    expect(parsed.text).toContain('everything [https://shop.test/sale]');
    expect(parsed.text).toContain(url);
    expect(parsed.text).not.toContain('<p>');

    const header = (name: string) => parsed.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n/g, '');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${url}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // nodemailer, which renders the emulator's EML, re-cases header names.
    expect(header('x-postline-email-id')?.toLowerCase()).toBe(`x-postline-email-id: ${id}`);

    expect(await historyOf(id)).toEqual([
      expect.objectContaining({ sourceId: `${id}:accepted`, newStatus: 'QUEUED' }),
      expect.objectContaining({ sourceId: `${id}:dequeued`, source: 'SENDER', newStatus: 'DEQUEUED' }),
      expect.objectContaining({ sourceId: `${id}:sent:sender`, source: 'SENDER', type: 'Send', newStatus: 'SENT' }),
    ]);
    // Every status change queued its callback, and SENT its reputation event, through the outbox.
    const { rows: hooks } = await testPool().query(
      `SELECT "payload"->'data'->>'status' AS "status" FROM "WebhookDelivery" WHERE "emailId" = $1 ORDER BY "createdAt"`,
      [id],
    );
    expect(hooks.map((h) => h.status).sort()).toEqual(['DEQUEUED', 'SENT']);
    const { rows: campaign } = await testPool().query(
      `SELECT "sent", "byStatus" FROM "CampaignStats" WHERE "accountId" = $1 AND "externalId" = 'campaign-1'`,
      [account.accountId],
    );
    expect(campaign[0].sent).toBe(1);
    expect(campaign[0].byStatus).toMatchObject({ SENT: 1 });
  });

  it('sends plain text as text only, with the unsubscribe text and URL, and an ASCII alias quoted', async () => {
    const [id] = await queueEmails(app, account, [
      { alias: 'New User', text: 'we have a new offer this week', unsubscribeMsg: 'Unsubscribe' },
    ]);
    const row = await statusOf(id, ['SENT']);
    const stored = await storedEmailOf(id);
    expect(stored?.destination.to).toEqual(['"New User" <user@example.com>']);
    expect(stored?.body.html).toBeUndefined();
    expect(stored?.body.text).toMatch(
      /^we have a new offer this week\n\nUnsubscribe: https:\/\/postline\.test\/unsubscribe\/[\w-]+\.[\w-]+\n$/,
    );
    const { parsed } = await mimeOf(row.sesMessageId as string);
    expect(parsed.html).toBe(false);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]).toEqual({ name: 'New User', address: 'user@example.com' });
  });

  it('re-checks at pickup: blocked account, unverified sender, role address and suppressed recipient end without SES', async () => {
    const blocked = await createAccount({ senders: ['shop.test'] });
    await testPool().query(
      `UPDATE "Account" SET "reputationState" = 'BLOCKED', "reputationReason" = 'complaint rate 0.2 %' WHERE "id" = $1`,
      [blocked.accountId],
    );
    const [blockedId] = await queueEmails(app, blocked, [{}]);

    await testPool().query(
      `INSERT INTO "Suppression" ("id", "accountId", "address", "reason") VALUES (gen_random_uuid(), $1, 'gone@example.com', 'HARD_BOUNCE')`,
      [account.accountId],
    );
    const [badFrom, roleTo, suppressed] = await queueEmails(app, account, [
      { from: 'promo@other.test' },
      { to: 'postmaster@example.com' },
      { to: 'Gone@example.com' },
    ]);
    const before = (await ses.emails()).length;

    expect(await statusOf(blockedId, ['BLOCKED_DUE_BAD_BEHAVIOUR'])).toMatchObject({
      statusReason: 'account is blocked: complaint rate 0.2 %',
      dispatchState: 'NONE',
    });
    expect(await statusOf(badFrom, ['BAD_FROM'])).toMatchObject({
      statusReason: 'promo@other.test is not a verified sender identity of this account',
    });
    expect((await statusOf(roleTo, ['BAD_TO'])).statusReason).toContain('reserved role address');
    expect((await statusOf(suppressed, ['BLACKLISTED'])).statusReason).toContain('HARD_BOUNCE');
    for (const id of [blockedId, badFrom, roleTo, suppressed]) {
      expect((await emailRow(id)).rejectedAt).not.toBeNull();
      expect((await historyOf(id)).map((e) => e.sourceId)).toEqual([
        `${id}:accepted`,
        `${id}:dequeued`,
        `${id}:refused:sender`,
      ]);
    }
    expect((await ses.emails()).length).toBe(before);
  });

  it('writes an email twice on its way to SENT (DEQUEUED with the dispatch start, then SENT) and each event once', async () => {
    // Row writes of this test's emails only (their externalId), logged by triggers.
    const pool = testPool();
    await pool.query(`CREATE TABLE "RowWriteLog" ("table" text, "emailId" uuid)`);
    await pool.query(`CREATE FUNCTION log_row_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO "RowWriteLog" VALUES (TG_TABLE_NAME, COALESCE(to_jsonb(NEW)->>'emailId', to_jsonb(NEW)->>'id')::uuid);
      RETURN NULL; END $$`);
    await pool.query(`CREATE TRIGGER log_email_write AFTER UPDATE ON "Email" FOR EACH ROW
      WHEN (NEW."externalId" = 'row-writes') EXECUTE FUNCTION log_row_write()`);
    await pool.query(
      `CREATE TRIGGER log_event_write AFTER UPDATE ON "EmailEvent" FOR EACH ROW EXECUTE FUNCTION log_row_write()`,
    );
    try {
      const ids = await queueEmails(
        app,
        account,
        Array.from({ length: 20 }, (_, i) => ({ to: `rows${i}@example.com`, externalId: 'row-writes' })),
      );
      for (const id of ids) await statusOf(id, ['SENT']);
      const { rows } = await pool.query<{ table: string; emailId: string; n: number }>(
        `SELECT "table", "emailId", count(*)::int AS n FROM "RowWriteLog" WHERE "emailId" = ANY($1::uuid[]) GROUP BY 1, 2`,
        [ids],
      );
      expect(rows.filter((r) => r.table === 'EmailEvent')).toEqual([]);
      expect(rows.filter((r) => r.table === 'Email').map((r) => r.n)).toEqual(ids.map(() => 2));
      for (const id of ids) {
        expect((await historyOf(id)).map((e) => e.newStatus)).toEqual(['QUEUED', 'DEQUEUED', 'SENT']);
        expect(await emailRow(id)).toMatchObject({ dispatchState: 'CONFIRMED', dispatchAttempts: 1 });
      }
    } finally {
      await pool.query(`DROP TRIGGER log_email_write ON "Email"`);
      await pool.query(`DROP TRIGGER log_event_write ON "EmailEvent"`);
      await pool.query(`DROP FUNCTION log_row_write()`);
      await pool.query(`DROP TABLE "RowWriteLog"`);
    }
  });

  it('sends each of a burst of emails exactly once', async () => {
    const ids = await queueEmails(
      app,
      account,
      Array.from({ length: 60 }, (_, i) => ({ to: `burst${i}@example.com` })),
    );
    for (const id of ids) await statusOf(id, ['SENT']);
    const emails = await ses.emails();
    for (const id of ids) {
      expect(
        emails.filter((e) => e.headers?.some((h) => h.name === 'X-Postline-Email-Id' && h.value === id)),
      ).toHaveLength(1);
    }
  });
});
