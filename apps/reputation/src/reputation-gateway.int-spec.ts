import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { JobName, QueueName } from '@postline/contracts';
import { StatusRecorder } from '@postline/email-ledger';
import { jobIdOf, QueueRegistry } from '@postline/queue';
import {
  closeTestPool,
  createAccount,
  createTestApp,
  enqueueJobs,
  eventually,
  type TestAccount,
  testPool,
} from '@postline/testing';

// A small minimum volume keeps the stream short; the gateway reads the same setting for GET /reputation.
process.env.REPUTATION_MIN_VOLUME = '20';
process.env.REPUTATION_SWEEP_EVERY_MS = '3600000';

describe('reputation end to end: status events → outbox → reputation worker → gateway acceptance', () => {
  let gateway: NestFastifyApplication;
  let reputation: NestFastifyApplication;
  let account: TestAccount;

  const auth = () => ({ authorization: `Bearer ${account.apiKey}` });
  const send = async (to = 'reader@example.test') => {
    const res = await gateway.inject({
      method: 'POST',
      url: '/emails',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: { to, from: 'news@shop.test', subject: 'Spring', text: 'offers' },
    });
    expect(res.statusCode).toBe(201);
    return res.json().data as { id: string; status: string; statusReason?: string };
  };
  const reputationView = async () =>
    (await gateway.inject({ method: 'GET', url: '/reputation', headers: auth() })).json().data;
  const queueIdle = async () => {
    const counts = await gateway
      .get(QueueRegistry)
      .get(QueueName.ReputationEvent)
      .getJobCounts('waiting', 'active', 'failed');
    return counts.waiting + counts.active + counts.failed === 0;
  };

  beforeAll(async () => {
    const { AppModule: GatewayModule } = await import('../../gateway/src/app.module');
    const { configureGateway } = await import('../../gateway/src/configure-app');
    const { AppModule: ReputationModule } = await import('./app.module');
    gateway = await createTestApp(GatewayModule, (a) => configureGateway(a, false));
    reputation = await createTestApp(ReputationModule);
    account = await createAccount({ senders: ['shop.test'] });
  });

  afterAll(async () => {
    await reputation.close();
    await gateway.close();
    await closeTestPool();
  });

  it('blocks on a hard bounce rate of 5 %: new emails are BLOCKED_DUE_BAD_BEHAVIOUR; an unblock lets them queue again', async () => {
    const emails = await Promise.all(Array.from({ length: 20 }, (_, i) => send(`customer${i}@example.test`)));
    expect(emails.every((e) => e.status === 'QUEUED')).toBe(true);

    const recorder = gateway.get(StatusRecorder);
    const at = new Date();
    await recorder.record(
      emails.map((e) => ({
        emailId: e.id,
        status: 'SENT',
        source: 'SES',
        sourceId: `send-${e.id}`,
        type: 'Send',
        occurredAt: at,
      })),
    );
    await recorder.record([
      {
        emailId: emails[0].id,
        status: 'BOUNCED_PERMANENT',
        source: 'SES',
        sourceId: `bounce-${emails[0].id}`,
        type: 'Bounce',
        occurredAt: new Date(at.getTime() + 1000),
        suppress: 'HARD_BOUNCE',
      },
    ]);

    const blocked = await eventually(async () => {
      const view = await reputationView();
      return view.state === 'BLOCKED' && view;
    }, 15_000);
    expect(blocked).toMatchObject({
      counts: { sent: 20, hardBounces: 1, complaints: 0 },
      rates: { bounce: 0.05, complaint: 0 },
      evaluated: true,
      history: [
        expect.objectContaining({
          fromState: 'HEALTHY',
          toState: 'BLOCKED',
          actor: 'SYSTEM',
          reason: 'bounce rate 5 % ≥ 5 %',
        }),
      ],
    });
    expect(await send()).toMatchObject({
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      statusReason: 'account is blocked: bounce rate 5 % ≥ 5 %',
    });

    const unblock = await gateway.inject({
      method: 'POST',
      url: `/admin/accounts/${account.accountId}/unblock`,
      headers: { authorization: `Bearer ${process.env.ADMIN_API_KEY}` },
      payload: { note: 'bounced address removed; customer confirmed opt-in' },
    });
    expect(unblock.statusCode).toBe(200);
    expect((await send()).status).toBe('QUEUED');

    // The bounce that caused the block, queued again: it happened before the unblock, so it cannot re-block.
    await enqueueJobs(gateway, JobName.RecordReputationEvents, [
      {
        data: {
          events: [
            {
              accountId: account.accountId,
              emailId: emails[1].id,
              kind: 'hard-bounce',
              recipient: 'customer1@example.test',
              occurredAt: at.getTime(),
            },
          ],
        },
        opts: { jobId: jobIdOf(emails[1].id, 'hard-bounce', 'replayed') },
      },
    ]);
    await eventually(queueIdle, 10_000);
    const after = await reputationView();
    expect(after).toMatchObject({
      state: 'HEALTHY',
      counts: { sent: 0, hardBounces: 0, complaints: 0 },
      evaluated: false,
    });
    expect(after.history.map((h: { toState: string }) => h.toState)).toEqual(['HEALTHY', 'BLOCKED']);
    const { rows } = await testPool().query(`SELECT "status" FROM "Email" WHERE "id" = $1`, [emails[0].id]);
    expect(rows[0].status).toBe('BOUNCED_PERMANENT');
  });
});
