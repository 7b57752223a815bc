import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventsTestEnv, postToSns, startEventsApp } from '../../test/events-test-kit';
import { readFixture } from '../../../../libs/ses/src/testing/ses-fixtures';

// Nothing listens on port 1: Postgres is "down" for this app from the start.
eventsTestEnv({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/postline' });

describe('POST /ses/notifications while Postgres is down', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 503 so that SNS delivers the notification again', async () => {
    const { status, json } = await postToSns(app, readFixture('delivery.json'));
    expect(status).toBe(503);
    expect(json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('still refuses a forged notification with 403', async () => {
    const body = { ...readFixture('delivery.json'), MessageId: 'forged' };
    expect((await postToSns(app, body)).status).toBe(403);
  });
});
