import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount } from '@postline/testing';
import { DispatchStore } from '../src/dispatch/dispatch-store.service';
import { SesStandIn } from './ses-stand-in';
import { queueEmails, sleep, statusOf } from './support';

// "Dispatch STARTED" committed, but the connection died before the sender heard so: the sender knows it did
// not call SES, so the email is sent once after the retry instead of ending AMBIGUOUS.
describe('a dispatch start whose commit was in doubt', () => {
  let ses: SesStandIn;
  let app: NestFastifyApplication;
  let account: TestAccount;

  beforeAll(async () => {
    ses = await SesStandIn.start();
    Object.assign(process.env, {
      SES_ENDPOINT: ses.endpoint,
      SES_MAX_SEND_RATE: '100',
      SEND_CONCURRENCY: '5',
      // Short, so that an email wrongly held in doubt would end AMBIGUOUS within the test.
      SEND_CONFIRM_TIMEOUT_MS: '1500',
      SEND_CONFIRM_POLL_MS: '150',
    });
    const { AppModule } = await import('../src/app.module');
    const { createTestApp } = await import('@postline/testing');
    app = await createTestApp(AppModule);
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await app.close();
    await ses.stop();
    await closeTestPool();
  });

  it('sends the email once when the commit of its STARTED was lost on the way back', async () => {
    const store = app.get(DispatchStore);
    const journal = store.journal.bind(store);
    let inDoubt = 0;
    jest.spyOn(store, 'journal').mockImplementation(async (emailIds, confirmations, attempts) => {
      const preparations = await journal(emailIds, confirmations, attempts);
      if (inDoubt === 0 && preparations.some((p) => p.kind === 'send')) {
        inDoubt++;
        // Committed, but the answer never arrived.
        throw new Error('Connection terminated unexpectedly');
      }
      return preparations;
    });

    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['SENT', 'EXHAUSTED'], 30_000);
    expect(inDoubt).toBe(1);
    expect(row).toMatchObject({ status: 'SENT', dispatchState: 'CONFIRMED', dispatchAttempts: 1 });
    expect(ses.requestsFor(id)).toBe(1);
  });

  it("sends the email once when releasing a late slot's STARTED failed on the way", async () => {
    const store = app.get(DispatchStore);
    const journal = store.journal.bind(store);
    let slowed = 0;
    // The round answers well after the send slot was due, so the dispatch is released instead of calling SES.
    jest.spyOn(store, 'journal').mockImplementation(async (emailIds, confirmations, attempts) => {
      const preparations = await journal(emailIds, confirmations, attempts);
      if (slowed === 0 && preparations.some((p) => p.kind === 'send')) {
        slowed++;
        await sleep(300);
      }
      return preparations;
    });
    let lost = 0;
    jest.spyOn(store, 'releaseDispatch').mockImplementationOnce(async () => {
      lost++;
      throw new Error('Connection terminated unexpectedly');
    });

    const [id] = await queueEmails(app, account, [{}]);
    const row = await statusOf(id, ['SENT', 'EXHAUSTED'], 30_000);
    expect(lost).toBe(1);
    expect(row).toMatchObject({ status: 'SENT', dispatchState: 'CONFIRMED' });
    expect(ses.requestsFor(id)).toBe(1);
  });
});
