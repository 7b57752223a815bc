import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { ConfigService } from '@nestjs/config';
import { EmailIntake, StatusRecorder } from '@postline/email-ledger';
import type { OutboxRelay } from '@postline/queue';
import { closeTestPool, createAccount, queuedEmail, type TestAccount, testPool } from '@postline/testing';
import { Personalizer, templateVersionsFrom } from '../src/content/personalization';
import { DispatchStore } from '../src/dispatch/dispatch-store.service';
import { EmailDispatcher } from '../src/dispatch/email-dispatcher.service';
import type { SendPacer } from '../src/dispatch/send-pacer.service';
import type { Env } from '../src/env';
import { emailRow } from './support';

// The send journal groups the confirmations of concurrent jobs into one round: one the database refuses
// must not fail the others.
describe('send journal isolation', () => {
  let account: TestAccount;
  const relay = { nudge: () => undefined } as unknown as OutboxRelay;
  const settings: Partial<Env> = { PUBLIC_BASE_URL: 'http://localhost:3000', UNSUBSCRIBE_SECRET: 'x'.repeat(32) };
  const config = { get: (name: keyof Env) => settings[name] } as unknown as ConfigService<Env, true>;

  beforeAll(async () => {
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await closeTestPool();
  });

  it('confirms the good emails of a round that holds one the database refuses', async () => {
    const emails = Array.from({ length: 9 }, () => queuedEmail(account));
    await new EmailIntake(testPool(), relay).store(emails);
    const store = new DispatchStore(
      testPool(),
      new StatusRecorder(testPool(), relay),
      relay,
      new Personalizer(templateVersionsFrom(testPool())),
    );
    const sut = new EmailDispatcher(store, {} as SESv2Client, {} as SendPacer, config);
    const remember = () => Promise.resolve();

    const settled = await Promise.allSettled(
      emails.map((e, i) =>
        sut.dispatch(e.id, { knownMessageId: i === 4 ? 'ses-\u0000-poisoned' : `ses-good-${i}`, remember }),
      ),
    );

    expect(settled.map((s) => s.status)).toEqual([
      ...Array(4).fill('fulfilled'),
      'rejected',
      ...Array(4).fill('fulfilled'),
    ]);
    const rows = await Promise.all(emails.map((e) => emailRow(e.id)));
    expect(rows.map((r) => r.status)).toEqual([...Array(4).fill('SENT'), 'QUEUED', ...Array(4).fill('SENT')]);
  });
});
