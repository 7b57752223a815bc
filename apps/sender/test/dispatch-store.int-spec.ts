import { EmailIntake, StatusRecorder } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import { closeTestPool, createAccount, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import type { Pool, QueryConfig } from 'pg';
import { randomUUID } from 'node:crypto';
import { Personalizer, type TemplateVersionSource, templateVersionsFrom } from '../src/content/personalization';
import { DispatchStore } from '../src/dispatch/dispatch-store.service';
import { emailRow, historyOf } from './support';

// The journal round: two statements and no transaction, or the same round under locks when an email
// changed between its read and its write.
describe(DispatchStore.name, () => {
  let account: TestAccount;
  const relay = { nudge: () => undefined } as unknown as OutboxRelay;
  const storeOn = (pool: Pool, templates: TemplateVersionSource = templateVersionsFrom(testPool())) => {
    const recorder = new StatusRecorder(pool, relay);
    return { store: new DispatchStore(pool, recorder, relay, new Personalizer(templates)), recorder };
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

  describe('personalized emails: rendered in the round, before their dispatch starts', () => {
    const template = async (subject: string, text: string): Promise<string> => {
      const id = randomUUID();
      await testPool().query(
        `INSERT INTO "Template" ("id", "accountId", "name", "currentVersion") VALUES ($1, $2, 'greeting', 1)`,
        [id, account.accountId],
      );
      await testPool().query(
        `INSERT INTO "TemplateVersion" ("templateId", "version", "subject", "text") VALUES ($1, 1, $2, $3)`,
        [id, subject, text],
      );
      return id;
    };
    const personalized = async (fields: Parameters<typeof queuedEmail>[1]): Promise<string> => {
      const email = queuedEmail(account, fields);
      await new EmailIntake(testPool(), relay).store([email]);
      return email.id;
    };

    it('starts the dispatch with the message filled in', async () => {
      const templateId = await template('Hi {{name}}', 'Dear {{name}}');
      const id = await personalized({ templateId, templateVersion: 1, variables: { name: 'Zoë' } });
      const [preparation] = await storeOn(testPool()).store.journal([id], []);
      expect(preparation).toMatchObject({ kind: 'send', email: { subject: 'Hi Zoë', text: 'Dear Zoë' } });
      expect(await emailRow(id)).toMatchObject({ status: 'DEQUEUED', dispatchState: 'STARTED' });
    });

    it('refuses an email that cannot be filled INCOMPLETE in the same round: never started, so never in doubt', async () => {
      const templateId = await template('Hi {{name}}', 'Code {{code}}');
      const fromTemplate = await personalized({ templateId, templateVersion: 1, variables: { name: 'Kim' } });
      const inline = await personalized({ subject: 'Hi {{name}}', text: 'plain', variables: {} });
      const missingVersion = await personalized({ templateId, templateVersion: 9, variables: {} });
      const preparations = await storeOn(testPool()).store.journal([fromTemplate, inline, missingVersion], []);
      expect(preparations).toEqual([
        { kind: 'refused', status: 'INCOMPLETE', reason: 'missing variable "code" (text, line 1, column 8)' },
        { kind: 'refused', status: 'INCOMPLETE', reason: 'missing variable "name" (subject, line 1, column 6)' },
        { kind: 'refused', status: 'INCOMPLETE', reason: `template ${templateId} has no version 9` },
      ]);
      // A sender that died right after this round would leave these emails finished, not STARTED (which would
      // end AMBIGUOUS: nobody could tell whether SES had them).
      for (const id of [fromTemplate, inline, missingVersion]) {
        const row = await emailRow(id);
        expect(row).toMatchObject({ status: 'INCOMPLETE', dispatchState: 'NONE', dispatchAttempts: 0 });
        expect(row.rejectedAt).not.toBeNull();
        expect(row.dispatchStartedAt).toBeNull();
      }
      const { rows } = await testPool().query(
        `SELECT "type", "newStatus", "details" FROM "EmailEvent" WHERE "emailId" = $1 AND "newStatus" = 'INCOMPLETE'`,
        [fromTemplate],
      );
      expect(rows).toEqual([
        {
          type: 'RenderFailed',
          newStatus: 'INCOMPLETE',
          details: expect.objectContaining({ part: 'text', variable: 'code' }),
        },
      ]);
    });

    it('writes nothing when a template version cannot be read: the email stays queued for the retry', async () => {
      const templateId = await template('Hi {{name}}', 'Dear {{name}}');
      const id = await personalized({ templateId, templateVersion: 1, variables: { name: 'Al' } });
      const down: TemplateVersionSource = async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      };
      await expect(storeOn(testPool(), down).store.journal([id], [])).rejects.toThrow('ECONNREFUSED');
      expect(await emailRow(id)).toMatchObject({ status: 'QUEUED', dispatchState: 'NONE', dequeuedAt: null });
      const [preparation] = await storeOn(testPool()).store.journal([id], []);
      expect(preparation).toMatchObject({ kind: 'send', email: { subject: 'Hi Al' } });
    });
  });
});
