import { EmailIntake, StatusRecorder } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import { closeTestPool, createAccount, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import type { Pool, QueryConfig } from 'pg';
import { DispatchStore } from '../src/dispatch/dispatch-store.service';
import { emailRow, historyOf } from './support';

// The journal round: two statements and no transaction, or the same round under locks when an email
// changed between its read and its write.
describe(DispatchStore.name, () => {
  let account: TestAccount;
  const relay = { nudge: () => undefined } as unknown as OutboxRelay;
  const storeOn = (pool: Pool) => {
    const recorder = new StatusRecorder(pool, relay);
    return { store: new DispatchStore(pool, recorder, relay), recorder };
  };
  const queued = async (): Promise<string> => {
    const email = queuedEmail(account);
    await new EmailIntake(testPool(), relay).store([email]);
    return email.id;
  };

  beforeAll(async () => {
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await closeTestPool();
  });

  it('prepares and confirms an email with two statements per round and no transaction', async () => {
    const id = await queued();
    const statements: string[] = [];
    const counting = {
      query: (config: QueryConfig) => {
        statements.push(config.text);
        return testPool().query(config);
      },
      connect: () => {
        statements.push('connect');
        return testPool().connect();
      },
    } as unknown as Pool;
    const { store } = storeOn(counting);

    const [preparation] = await store.journal([id], []);
    expect(preparation).toMatchObject({ kind: 'send', attempt: 1 });
    expect(statements).toHaveLength(2);
    expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED', dispatchAttempts: 1 });

    await store.journal([], [{ emailId: id, sesMessageId: 'ses-1', at: new Date() }]);
    expect(statements).toHaveLength(4);
    expect(await emailRow(id)).toMatchObject({ status: 'SENT', dispatchState: 'CONFIRMED', sesMessageId: 'ses-1' });
  });

  it('never dispatches twice an email that another run prepared between this round’s read and its write', async () => {
    const id = await queued();
    const first = storeOn(testPool());
    const second = storeOn(testPool());
    const write = first.recorder.recordIfUnchanged.bind(first.recorder);
    let other: unknown;
    jest.spyOn(first.recorder, 'recordIfUnchanged').mockImplementationOnce(async (...args) => {
      other = (await second.store.journal([id], []))[0];
      return write(...args);
    });

    const [preparation] = await first.store.journal([id], []);

    expect(other).toMatchObject({ kind: 'send', attempt: 1 });
    expect(preparation).toMatchObject({ kind: 'in-doubt' });
    expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED', dispatchAttempts: 1 });
    expect((await historyOf(id)).map((e) => e.newStatus)).toEqual(['QUEUED', 'DEQUEUED']);
  });

  it('confirms under locks an email whose SES Send event arrived between the read and the write', async () => {
    const id = await queued();
    const { store, recorder } = storeOn(testPool());
    await store.journal([id], []);
    const write = recorder.recordIfUnchanged.bind(recorder);
    jest.spyOn(recorder, 'recordIfUnchanged').mockImplementationOnce(async (...args) => {
      await recorder.record([
        {
          emailId: id,
          status: 'SENT',
          source: 'SES',
          sourceId: `${id}:ses-send`,
          type: 'Send',
          occurredAt: new Date(),
        },
      ]);
      return write(...args);
    });

    await store.journal([], [{ emailId: id, sesMessageId: 'ses-2', at: new Date() }]);

    expect(await emailRow(id)).toMatchObject({ status: 'SENT', dispatchState: 'CONFIRMED', sesMessageId: 'ses-2' });
    const history = await historyOf(id);
    expect(Object.fromEntries(history.map((e) => [e.sourceId.slice(id.length + 1), e.newStatus]))).toEqual({
      accepted: 'QUEUED',
      dequeued: 'DEQUEUED',
      'ses-send': 'SENT',
      'sent:sender': null,
    });
  });
});
