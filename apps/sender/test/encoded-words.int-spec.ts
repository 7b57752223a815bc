import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ENCODED_WORD } from '@postline/contracts';
import { closeTestPool, createAccount, LocalSes, type TestAccount } from '@postline/testing';
import { simpleParser } from 'mailparser';
import { queueEmails, statusOf } from './support';

// What the gateway lets through in subject and alias reaches the recipient as the literal text sent: the
// message SES received is parsed as a mail client would (mailparser decodes RFC 2047 encoded words).
describe('subject and alias arrive literally (sender → aws-ses-v2-local → mailparser)', () => {
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

  const parsedMessageOf = async (emailId: string) => {
    const sent = (await ses.emails()).find((e) =>
      e.headers?.some((h) => h.name === 'X-Postline-Email-Id' && h.value === emailId),
    );
    const reply = JSON.parse(await ses.eml(sent?.messageId as string)) as { body: { data: number[] } | string };
    return simpleParser(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body.data).toString('utf8'));
  };

  it.each([
    ['=? and ?= in the other order', 'Done ?= and then =?UTF-8?B?eA0K', 'Ann ?= B =?'],
    ['non-ASCII text beside =?', 'Réduction =?UTF-8? ça', 'Zoë =?'],
    ['question marks and equals signs', 'Q&A: why? = because?', 'Bob = ?'],
  ])('%s', async (_name, subject, alias) => {
    // The gateway refuses real encoded words (ENCODED_WORD); these are the look-alikes it accepts.
    expect(ENCODED_WORD.test(subject) || ENCODED_WORD.test(alias)).toBe(false);
    const [id] = await queueEmails(app, account, [{ to: 'zoe@example.com', subject, alias }]);
    await statusOf(id, ['SENT']);

    const parsed = await parsedMessageOf(id);

    expect(parsed.subject).toBe(subject);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { address: 'zoe@example.com', name: alias },
    ]);
  });
});
