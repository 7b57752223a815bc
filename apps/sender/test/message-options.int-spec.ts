import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { withTransaction } from '@postline/database';
import { EmailIntake, type NewEmailOptions } from '@postline/email-ledger';
import { closeTestPool, createAccount, LocalSes, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import { simpleParser } from 'mailparser';
import { statusOf } from './support';

const pdf = Buffer.from('%PDF-1.4\n% Postline test attachment\n');

const options = (overrides: Partial<NewEmailOptions> = {}): NewEmailOptions => ({
  fromName: null,
  cc: [],
  bcc: [],
  replyTo: [],
  headers: null,
  tags: null,
  tracking: null,
  droppedRecipients: null,
  attachmentCount: 0,
  ...overrides,
});

// Message options reach SES and the recipient: the message the emulator kept is parsed as a mail client would.
describe('message options on the sent message (sender → aws-ses-v2-local → mailparser)', () => {
  let ses: LocalSes;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await LocalSes.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    delete process.env.SES_MAX_SEND_RATE;
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

  /** Stores an email with its options and attachments in one transaction, as the gateway does. */
  const queue = async (
    emailOptions: NewEmailOptions,
    files: { filename: string; contentType: string; content: Buffer }[] = [],
  ) => {
    const email = queuedEmail(account, {
      to: 'ann@example.com',
      options: { ...emailOptions, attachmentCount: files.length },
    });
    await withTransaction(testPool(), async (client) => {
      await client.query(app.get(EmailIntake).statement([email]));
      for (const [position, f] of files.entries()) {
        await client.query(
          `INSERT INTO "EmailAttachment" ("emailId", "position", "filename", "contentType", "content") VALUES ($1, $2, $3, $4, $5)`,
          [email.id, position, f.filename, f.contentType, f.content],
        );
      }
    });
    return email.id;
  };

  const storedOf = async (emailId: string) =>
    (await ses.emails()).find((e) => e.headers?.some((h) => h.name === 'X-Postline-Email-Id' && h.value === emailId));

  const parsedMessageOf = async (messageId: string) => {
    const reply = JSON.parse(await ses.eml(messageId)) as { body: { data: number[] } | string };
    return simpleParser(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body.data).toString('utf8'));
  };

  it('sends From with the display name, Cc, Reply-To, custom headers and the attachment; Bcc only in the envelope', async () => {
    const id = await queue(
      options({
        fromName: 'Zoë Shop',
        cc: ['carl@example.com'],
        bcc: ['hidden@example.com'],
        replyTo: ['help@shop.test'],
        headers: { 'X-Campaign-Id': 'winter', 'In-Reply-To': '<thread-1@shop.test>' },
        tags: [{ name: 'campaign', value: 'winter-sale' }],
      }),
      [{ filename: 'invoice.pdf', contentType: 'application/pdf', content: pdf }],
    );
    await statusOf(id, ['SENT'], 30_000);
    const stored = await storedOf(id);
    expect(stored?.destination).toEqual({
      to: ['ann@example.com'],
      cc: ['carl@example.com'],
      bcc: ['hidden@example.com'],
    });
    // The emulator keeps what SES received; its attachment content is the base64 the SDK sent.
    const attachment = (stored?.attachments as { filename: string; contentType: string; content: string }[])[0];
    expect({ ...attachment, content: Buffer.from(attachment.content, 'base64') }).toMatchObject({
      filename: 'invoice.pdf',
      contentType: 'application/pdf',
      content: pdf,
    });

    const parsed = await parsedMessageOf(stored?.messageId as string);
    expect(parsed.from?.value).toEqual([{ address: 'promo@shop.test', name: 'Zoë Shop' }]);
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : []).toEqual([
      { address: 'carl@example.com', name: '' },
    ]);
    // SES builds the MIME from the Simple content and never writes Bcc; the emulator's .eml (nodemailer's stream
    // transport, which keeps Bcc) is no evidence either way. What Postline controls: bcc travels only in
    // Destination.BccAddresses, in none of the headers it sends.
    expect(stored?.headers?.some((h) => /^bcc$/i.test(h.name) || h.value.includes('hidden@example.com'))).toBe(false);
    expect(parsed.text).not.toContain('hidden@example.com');
    expect(parsed.replyTo?.value).toEqual([{ address: 'help@shop.test', name: '' }]);
    expect(parsed.headers.get('x-campaign-id')).toBe('winter');
    expect(parsed.inReplyTo).toBe('<thread-1@shop.test>');
    expect(parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType }))).toEqual([
      { filename: 'invoice.pdf', contentType: 'application/pdf' },
    ]);
    expect(stored?.headers?.map((h) => h.name)).toEqual(
      expect.arrayContaining(['X-Campaign-Id', 'In-Reply-To', 'List-Unsubscribe', 'List-Unsubscribe-Post']),
    );
  });

  it('leaves out a cc suppressed after acceptance, and marks links untracked when clicks are off', async () => {
    await testPool().query(
      `INSERT INTO "Suppression" ("id", "accountId", "address", "reason") VALUES (gen_random_uuid(), $1, 'late@example.com', 'COMPLAINT')`,
      [account.accountId],
    );
    const id = await queue(options({ cc: ['late@example.com', 'fine@example.com'], tracking: { clicks: false } }));
    await testPool().query(`UPDATE "Email" SET "text" = $2 WHERE "id" = $1`, [
      id,
      '<html><body><a href="https://shop.test/sale">Sale</a></body></html>',
    ]);
    await statusOf(id, ['SENT'], 30_000);
    const stored = await storedOf(id);
    expect(stored?.destination.cc).toEqual(['fine@example.com']);
    expect((stored?.body as { html: string }).html).toContain('<a ses:no-track href="https://shop.test/sale">');
  });

  it("follows the account's click-tracking default when the email makes no choice", async () => {
    const quiet = await createAccount({ senders: ['shop.test'] });
    await testPool().query(`UPDATE "Account" SET "settings" = '{"trackClicks": false}'::jsonb WHERE "id" = $1`, [
      quiet.accountId,
    ]);
    const email = queuedEmail(quiet, { text: '<html><body><a href="https://shop.test/x">X</a></body></html>' });
    await app.get(EmailIntake).store([email]);
    await statusOf(email.id, ['SENT'], 30_000);
    const stored = await storedOf(email.id);
    expect((stored?.body as { html: string }).html).toContain('<a ses:no-track href="https://shop.test/x">');
  });
});
