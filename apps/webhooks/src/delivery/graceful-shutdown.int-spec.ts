import { closeTestPool, createAccount, eventually } from '@postline/testing';
import { attemptLog, deliveryState, queueCallbacks } from '../testing/webhook-fixtures';
import { TestReceiver } from '../testing/test-receiver';

process.env.WEBHOOK_ALLOW_PRIVATE_TARGETS = 'true';
process.env.PORT = '0';

describe('stopping the webhooks app during a delivery (integration)', () => {
  let receiver: TestReceiver;

  afterAll(async () => {
    await receiver.stop();
    await closeTestPool();
  });

  it('finishes the attempt in flight and records it before the database pool closes', async () => {
    receiver = await TestReceiver.start(0, (_req, res) => void setTimeout(() => res.writeHead(200).end(), 1000));
    const { AppModule } = await import('../app.module');
    const { createTestApp } = await import('@postline/testing');
    const app = await createTestApp(AppModule);
    const account = await createAccount();
    const [d] = await queueCallbacks(account.accountId, [receiver.url('/slow')]);
    await eventually(async () => receiver.requests.length === 1);

    await app.close();

    expect(await deliveryState(d.deliveryId)).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 200 });
    expect(await attemptLog(d.deliveryId)).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200 })]);
  });
});
