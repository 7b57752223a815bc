import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { StatusRecorder } from '@postline/email-ledger';
import { closeTestPool, createAccount, eventually, type TestAccount } from '@postline/testing';
import { SesErrors, SesStandIn } from './ses-stand-in';
import { emailRow, queueEmails, sleep, statusOf } from './support';

// Every class of SES failure, through a stand-in SES that fails on command.
describe('sender under SES failures', () => {
  let ses: SesStandIn;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await SesStandIn.start();
    Object.assign(process.env, {
      SES_ENDPOINT: ses.endpoint,
      SEND_CONCURRENCY: '5',
      SEND_MAX_ATTEMPTS: '3',
      SEND_RETRY_BASE_DELAY_MS: '100',
      SEND_RETRY_MAX_DELAY_MS: '400',
      SEND_CONFIRM_TIMEOUT_MS: '1500',
      SEND_CONFIRM_POLL_MS: '150',
      SES_REQUEST_TIMEOUT_MS: '400',
      SES_PAUSE_PROBE_MS: '300',
      SES_CONFIGURATION_SET: 'postline-events',
    });
    delete process.env.SES_MAX_SEND_RATE;
    const { AppModule } = await import('../src/app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterEach(() => ses.reset());

  afterAll(async () => {
    await app.close();
    await ses.stop();
    await closeTestPool();
  });

  const metrics = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('takes the max send rate from GetAccount when none is configured', async () => {
    await eventually(async () => /^postline_sender_max_send_rate 1000$/m.test(await metrics()));
  });

  it('retries throttling with growing, jittered delays and sends once', async () => {
    ses.next({ kind: 'fail', error: SesErrors.throttled }, { kind: 'fail', error: SesErrors.throttled });
    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['SENT']);
    expect(row).toMatchObject({ dispatchState: 'CONFIRMED', dispatchAttempts: 3, statusReason: null });
    expect(ses.requestsFor(id)).toBe(3);
    expect(ses.acceptedFor(id)).toHaveLength(1);
    const [accepted] = ses.acceptedFor(id);
    expect(row.sesMessageId).toBe(accepted.messageId);
    expect(accepted.body.ConfigurationSetName).toBe('postline-events');
    expect(accepted.body.EmailTags).toEqual([
      { Name: 'email_id', Value: id },
      { Name: 'account_id', Value: account.accountId },
    ]);
    const [first, second, third] = ses.requests.filter((r) => r.emailId === id).map((r) => r.at);
    expect(second - first).toBeGreaterThanOrEqual(50); // attempt 1: 50–100 ms
    expect(third - second).toBeGreaterThanOrEqual(100); // attempt 2: 100–200 ms
  });

  it('ends EXHAUSTED after the configured attempts of SES 5xx', async () => {
    ses.always({ kind: 'fail', error: SesErrors.internal });
    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['EXHAUSTED']);
    expect(row.statusReason).toBe(
      '3 attempts failed; last: SES InternalFailure (HTTP 500): An internal error occurred.',
    );
    expect(row).toMatchObject({ dispatchState: 'NONE', sesMessageId: null });
    expect(ses.requestsFor(id)).toBe(3);
  });

  it('ends NOT_SENT with the reason on MessageRejected, without retrying', async () => {
    ses.next({ kind: 'fail', error: SesErrors.rejected });
    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['NOT_SENT']);
    expect(row.statusReason).toBe(`SES MessageRejected (HTTP 400): ${SesErrors.rejected.message}`);
    await sleep(300);
    expect(ses.requestsFor(id)).toBe(1);
  });

  it('ends BAD_FROM on MailFromDomainNotVerified', async () => {
    ses.next({ kind: 'fail', error: SesErrors.mailFrom });
    const [id] = await queueEmails(app, account, [{}]);
    expect((await statusOf(id, ['BAD_FROM'])).statusReason).toContain('MailFromDomainNotVerifiedException');
    expect(ses.requestsFor(id)).toBe(1);
  });

  it('retries calls that cannot connect (they never reached SES), then ends EXHAUSTED, never AMBIGUOUS', async () => {
    const requestsBefore = ses.requests.length;
    await ses.refuseConnections();
    // Let the SDK see its idle keep-alive sockets closed: a request written on one is ambiguous, by design.
    await sleep(200);
    try {
      const [id] = await queueEmails(app, account, [{}]);
      const row = await statusOf(id, ['EXHAUSTED']);
      expect(row.statusReason).toMatch(/^3 attempts failed; last: SES ECONNREFUSED: /);
      expect(row).toMatchObject({ dispatchState: 'NONE', dispatchAttempts: 3 });
      expect(ses.requests).toHaveLength(requestsBefore);
    } finally {
      await ses.listenAgain();
    }
  });

  it('pauses every sender on SendingPaused without burning attempts, and resumes when GetAccount says sending is enabled', async () => {
    ses.account.SendingEnabled = false;
    ses.always({ kind: 'fail', error: SesErrors.paused });
    const ids = await queueEmails(app, account, [{}, {}, {}]);
    await eventually(async () => ses.requests.some((r) => ids.includes(r.emailId as string)));
    await eventually(async () =>
      /^postline_sender_paused\{reason="SendingPausedException"\} 1$/m.test(await metrics()),
    );
    const during = ses.requests.length;
    await sleep(1000);
    // Held back: no job keeps hammering SES, and the emails stay queued with no attempt used.
    expect(ses.requests.length - during).toBeLessThanOrEqual(5);
    for (const id of ids) {
      const row = await emailRow(id);
      expect(['QUEUED', 'DEQUEUED']).toContain(row.status);
      expect(row).toMatchObject({ dispatchState: 'NONE', dispatchAttempts: 0 });
    }

    ses.always({ kind: 'accept' });
    ses.account.SendingEnabled = true;
    for (const id of ids) {
      expect(await statusOf(id, ['SENT'])).toMatchObject({ dispatchAttempts: 1 });
      expect(ses.acceptedFor(id)).toHaveLength(1);
    }
    expect(await metrics()).toMatch(/^postline_sender_paused\{reason="SendingPausedException"\} 0$/m);
  });

  it('never resends a call that timed out after reaching SES, and marks it AMBIGUOUS when no Send event comes', async () => {
    ses.next({ kind: 'hang' });
    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['EXHAUSTED'], 8000);
    expect(row.dispatchState).toBe('AMBIGUOUS');
    expect(row.statusReason).toMatch(/^dispatch ambiguous: .* not sent again to avoid a duplicate$/);
    expect(ses.requestsFor(id)).toBe(1);
    expect(await metrics()).toMatch(/^postline_sender_dispatch_ambiguous_total [1-9]/m);
  });

  it('confirms a timed-out call from the SES Send event instead of sending again', async () => {
    ses.next({ kind: 'hang' });
    const [id] = await queueEmails(app, account, [{}]);
    await eventually(async () => ses.requestsFor(id) === 1);
    await sleep(600); // past the request timeout: the job now waits for the event
    expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED' });
    // What the events service records for the SES Send event carrying the email_id tag.
    await app.get(StatusRecorder).record([
      {
        emailId: id,
        status: 'SENT',
        source: 'SES',
        sourceId: `sns-${id}`,
        type: 'Send',
        occurredAt: new Date(),
        patch: { sesMessageId: 'ses-from-event' },
      },
    ]);
    await eventually(async () => (await emailRow(id)).dispatchState === 'CONFIRMED');
    expect(await emailRow(id)).toMatchObject({ status: 'SENT', sesMessageId: 'ses-from-event' });
    await sleep(300);
    expect(ses.requestsFor(id)).toBe(1);
  });
});
