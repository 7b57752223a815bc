import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signSnsEnvelope } from '@postline/ses';
import { closeTestPool } from '@postline/testing';
import { readFixture, testSigningKey } from '../../../libs/ses/src/testing/ses-fixtures';
import { eventsTestEnv, postToSns, signedNotification, startEventsApp } from './events-test-kit';

// Local SES: the emulator and a local signing certificate, and no topic listed.
eventsTestEnv({ SES_ENDPOINT: 'http://127.0.0.1:8005', SNS_TOPIC_ARNS: '' });

const REPO_ROOT = resolve(__dirname, '../../..');
const STRANGER_TOPIC = 'arn:aws:sns:us-east-1:210987654321:someone-elses-topic';

/** A SubscriptionConfirmation for `topicArn`, signed like the fixtures. */
function subscriptionConfirmation(topicArn: string) {
  const fixture = readFixture('sns-subscription-confirmation.json');
  return signSnsEnvelope(
    {
      Type: 'SubscriptionConfirmation',
      MessageId: '2f0c1d5e-6a51-4f52-9a3b-3f1c1d9b0c11',
      Token: String(fixture.Token),
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.`,
      SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${String(fixture.Token)}`,
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      SigningCertURL: String(fixture.SigningCertURL),
    },
    testSigningKey(),
  );
}

/** Runs the events app's main.ts as a process; resolves with its exit code and output (or kills it after `ms`). */
function runEventsMain(env: NodeJS.ProcessEnv, ms = 50_000): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/events/src/main.ts'],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('SNS topic allow-list', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startEventsApp();
  });

  afterAll(async () => {
    await app.close();
    await closeTestPool();
  });

  afterEach(() => jest.restoreAllMocks());

  it('confirms no subscription of a topic that is not listed, and never visits its SubscribeURL', async () => {
    const fetchSpy = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('<ConfirmSubscriptionResponse/>', { status: 200 }));
    for (const topic of [STRANGER_TOPIC, 'arn:aws:sns:us-east-1:123456789012:ses-events']) {
      const { status, json } = await postToSns(app, subscriptionConfirmation(topic));
      expect({ topic, status, code: (json.error as { code?: string } | undefined)?.code }).toEqual({
        topic,
        status: 403,
        code: 'SNS_VERIFICATION_FAILED',
      });
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('still takes notifications signed with the local certificate when SES is local', async () => {
    const { status } = await postToSns(app, signedNotification({ hello: 'local' }, { topicArn: STRANGER_TOPIC }));
    expect(status).toBe(200);
  });

  it('refuses to start against AWS (no SES_ENDPOINT) without SNS_TOPIC_ARNS', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '1', LOG_LEVEL: 'error' };
    delete env.SES_ENDPOINT;
    delete env.SNS_TOPIC_ARNS;
    const { code, output } = await runEventsMain(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(output).toMatch(/SNS_TOPIC_ARNS="": must list the SNS topic\(s\) of the SES event destination/);
  }, 90_000);
});
