import type { ChildProcess } from 'node:child_process';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EmailIntake, StatusRecorder } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import { closeTestPool, createAccount, eventually, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import { SesStandIn } from './ses-stand-in';
import { emailRow, sleep, startSender, statusOf } from './support';

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

// A sender stopped mid-send finishes its job; a sender killed after SES took the message never causes a
// second SendEmail: the replica that takes the job over waits for the SES Send event.
describe('sender shutdown and crash', () => {
  let ses: SesStandIn;
  let account: TestAccount;
  let replica: NestFastifyApplication | undefined;
  const env = () => ({
    SES_ENDPOINT: ses.endpoint,
    SES_MAX_SEND_RATE: '100',
    SEND_LOCK_DURATION_MS: '1000',
    SEND_STALLED_INTERVAL_MS: '500',
    SEND_CONFIRM_TIMEOUT_MS: '20000',
    SEND_CONFIRM_POLL_MS: '200',
  });
  // Accepts as the gateway does; the running sender's outbox relay moves the job to the queue.
  const intake = () => new EmailIntake(testPool(), { nudge: () => undefined } as unknown as OutboxRelay);
  const queueOne = async (): Promise<string> => {
    const email = queuedEmail(account, { text: 'hello' });
    await intake().store([email]);
    return email.id;
  };

  beforeAll(async () => {
    ses = await SesStandIn.start();
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await replica?.close();
    await ses.stop();
    await closeTestPool();
  });

  it('finishes the in-flight email when stopped with SIGTERM', async () => {
    const child = await startSender(env());
    // SIGTERM lands while SendEmail is in flight: shutdown must wait for the job, then record SENT.
    ses.next({
      kind: 'accept-then',
      then: async () => {
        child.kill('SIGTERM');
        await sleep(300);
      },
    });
    const id = await queueOne();
    await exited(child);
    expect(await emailRow(id)).toMatchObject({
      status: 'SENT',
      dispatchState: 'CONFIRMED',
      sesMessageId: ses.acceptedFor(id)[0].messageId,
    });
    expect(ses.requestsFor(id)).toBe(1);
  });

  it('never sends again after a sender is killed right after SES accepted; the Send event confirms it', async () => {
    const child = await startSender(env());
    ses.next({ kind: 'accept-then', then: () => void child.kill('SIGKILL') });
    const id = await queueOne();
    await exited(child);
    expect(ses.acceptedFor(id)).toHaveLength(1);
    expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED' });

    Object.assign(process.env, env());
    const { AppModule } = await import('../src/app.module');
    const { createTestApp } = await import('@postline/testing');
    replica = await createTestApp(AppModule);
    // Long enough for the lock to expire and the replica to take the stalled job over and poll a few times.
    await sleep(2500);
    expect(ses.requestsFor(id)).toBe(1);
    expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED' });

    const sesMessageId = ses.acceptedFor(id)[0].messageId;
    await replica.get(StatusRecorder).record([
      {
        emailId: id,
        status: 'SENT',
        source: 'SES',
        sourceId: `sns-send-${id}`,
        type: 'Send',
        occurredAt: new Date(),
        patch: { sesMessageId },
      },
    ]);
    await eventually(async () => (await emailRow(id)).dispatchState === 'CONFIRMED');
    expect(await statusOf(id, ['SENT'])).toMatchObject({ sesMessageId });
    await sleep(300);
    expect(ses.requestsFor(id)).toBe(1);
  });
});
