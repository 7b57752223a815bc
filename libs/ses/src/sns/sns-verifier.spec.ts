import {
  FIXTURE_CERT_URL,
  FIXTURE_TOPIC_ARN,
  fixtureManifest,
  readFixture,
  TEST_SIGNING_CERT_FILE,
  testSigningKey,
} from '../testing/ses-fixtures';
import { CertificateStore } from './certificate-store';
import { parseSnsEnvelope, type SnsNotification } from './sns-envelope';
import { signSnsEnvelope } from './sns-signer';
import { SnsVerificationError } from './sns-verification.error';
import { SnsVerifier } from './sns-verifier';

const SIGNED_NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Type'];
const SIGNED_SUBSCRIPTION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];

function verifier(opts: { topicArns?: string[]; maxAgeSeconds?: number; now?: number } = {}): SnsVerifier {
  const certificates = new CertificateStore({ certFile: TEST_SIGNING_CERT_FILE, fetchTimeoutMs: 1000, ttlMs: 60_000 });
  return new SnsVerifier(certificates, {
    topicArns: opts.topicArns ?? [],
    maxAgeSeconds: opts.maxAgeSeconds ?? 0,
    ...(opts.now ? { now: () => opts.now as number } : {}),
  });
}

async function rejection(sut: SnsVerifier, body: unknown): Promise<string> {
  try {
    await sut.verify(parseSnsEnvelope(body));
  } catch (error) {
    expect(error).toBeInstanceOf(SnsVerificationError);
    return (error as Error).message;
  }
  throw new Error('verification passed');
}

function freshNotification(overrides: Partial<SnsNotification> = {}): SnsNotification {
  return signSnsEnvelope(
    {
      Type: 'Notification',
      MessageId: 'c2b0a7a4-0000-4000-8000-000000000001',
      TopicArn: FIXTURE_TOPIC_ARN,
      Message: '{"eventType":"Open"}',
      Timestamp: new Date().toISOString(),
      SignatureVersion: '2',
      SigningCertURL: FIXTURE_CERT_URL,
      ...overrides,
    },
    testSigningKey(),
  ) as SnsNotification;
}

describe(SnsVerifier.name, () => {
  const sut = verifier();

  it.each(fixtureManifest().map((f) => [f.file]))('verifies the fixture %s', async (file) => {
    await expect(sut.verify(parseSnsEnvelope(readFixture(file)))).resolves.toBeUndefined();
  });

  it('verifies a body given as its raw text/plain string', async () => {
    await expect(sut.verify(parseSnsEnvelope(JSON.stringify(readFixture('delivery.json'))))).resolves.toBeUndefined();
  });

  describe.each([
    ['bounce-permanent.json', SIGNED_NOTIFICATION_FIELDS],
    ['bounce-permanent.sigv2.json', SIGNED_NOTIFICATION_FIELDS],
    ['sns-subscription-confirmation.json', SIGNED_SUBSCRIPTION_FIELDS],
    ['sns-subscription-confirmation.sigv2.json', SIGNED_SUBSCRIPTION_FIELDS],
    ['sns-unsubscribe-confirmation.json', SIGNED_SUBSCRIPTION_FIELDS],
  ])('tampering with %s', (file, fields) => {
    it.each(fields.map((f) => [f]))('refuses a changed %s', async (field) => {
      const body = readFixture(file);
      const value = String(body[field]);
      // Same shape, different bytes: keeps URLs on the SNS host and Type a known type.
      body[field] =
        field === 'Type'
          ? value === 'Notification'
            ? 'SubscriptionConfirmation'
            : value === 'SubscriptionConfirmation'
              ? 'UnsubscribeConfirmation'
              : 'SubscriptionConfirmation'
          : field === 'Timestamp'
            ? value.replace(/\d{3}Z$/, '999Z')
            : field === 'TopicArn'
              ? value.replace('ses-events', 'ses-evil')
              : `${value}x`;
      if (field === 'Type' && body.Type === 'SubscriptionConfirmation' && !body.Token) {
        body.Token = 'x';
        body.SubscribeURL = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription';
      }
      expect(await rejection(sut, body)).toMatch(/signature does not match/);
    });

    it('refuses a changed Signature', async () => {
      const body = readFixture(file);
      const signature = Buffer.from(String(body.Signature), 'base64');
      signature[10] ^= 0x01;
      body.Signature = signature.toString('base64');
      expect(await rejection(sut, body)).toMatch(/signature does not match/);
    });
  });

  it('refuses a Subject added to a notification signed without one', async () => {
    const body = { ...readFixture('delivery.json'), Subject: 'Amazon SES Email Event Notification' };
    expect(await rejection(sut, body)).toMatch(/signature does not match/);
  });

  it('refuses a signature made with SHA1 presented as version 2', async () => {
    const body = { ...readFixture('delivery.json'), SignatureVersion: '2' };
    expect(await rejection(sut, body)).toMatch(/signature does not match/);
  });

  it.each([
    ['another host', 'https://sns.us-east-1.evil.example/SimpleNotificationService-1.pem'],
    ['a look-alike host', 'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-1.pem'],
    ['plain HTTP', 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem'],
    ['another region than the topic', 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem'],
    ['a non-PEM path', 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.txt'],
    ['an explicit port', 'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-1.pem'],
  ])('refuses a certificate URL on %s', async (_what, url) => {
    const body = { ...readFixture('delivery.json'), SigningCertURL: url };
    expect(await rejection(sut, body)).toMatch(/SigningCertURL/);
  });

  it('refuses a topic outside SNS_TOPIC_ARNS and accepts one inside', async () => {
    const restricted = verifier({ topicArns: ['arn:aws:sns:us-east-1:123456789012:other'] });
    expect(await rejection(restricted, readFixture('delivery.json'))).toMatch(/not allowed/);
    await expect(
      verifier({ topicArns: [FIXTURE_TOPIC_ARN] }).verify(parseSnsEnvelope(readFixture('delivery.json'))),
    ).resolves.toBeUndefined();
  });

  it('refuses a message older than the maximum age, and one from the future', async () => {
    const now = Date.now();
    const aged = verifier({ maxAgeSeconds: 60, now });
    await expect(
      aged.verify(freshNotification({ Timestamp: new Date(now - 30_000).toISOString() })),
    ).resolves.toBeUndefined();
    expect(await rejection(aged, freshNotification({ Timestamp: new Date(now - 61_000).toISOString() }))).toMatch(
      /older than 60 s/,
    );
    expect(await rejection(aged, freshNotification({ Timestamp: new Date(now + 3_600_000).toISOString() }))).toMatch(
      /future/,
    );
  });

  it('refuses unknown signature versions, unknown types and missing fields', async () => {
    expect(await rejection(sut, { ...readFixture('delivery.json'), SignatureVersion: '3' })).toMatch(
      /SignatureVersion/,
    );
    expect(await rejection(sut, { ...readFixture('delivery.json'), Type: 'Surprise' })).toMatch(/unknown message Type/);
    const { MessageId: _id, ...withoutId } = readFixture('delivery.json');
    expect(await rejection(sut, withoutId)).toMatch(/MessageId is missing/);
    expect(await rejection(sut, 'not json')).toMatch(/not JSON/);
  });
});
