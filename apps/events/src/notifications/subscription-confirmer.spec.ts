import type { ConfigService } from '@nestjs/config';
import { SnsVerificationError, type SnsSubscriptionMessage } from '@postline/ses';
import type { Env } from '../env';
import { SnsTopicAllowList } from './sns-topic-allow-list';
import { SubscriptionConfirmationError, SubscriptionConfirmer } from './subscription-confirmer.service';

const message: SnsSubscriptionMessage = {
  Type: 'SubscriptionConfirmation',
  MessageId: 'm-1',
  TopicArn: 'arn:aws:sns:eu-west-1:123456789012:ses-events',
  Message: 'You have chosen to subscribe…',
  Timestamp: '2026-01-01T00:00:00.000Z',
  SignatureVersion: '1',
  Signature: 'sig',
  SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem',
  Token: 'token',
  SubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=token',
};

describe(SubscriptionConfirmer.name, () => {
  const config = { get: () => 50 } as unknown as ConfigService<Env, true>;
  const sut = new SubscriptionConfirmer(
    config,
    new SnsTopicAllowList(`arn:aws:sns:us-east-1:123456789012:x, ${message.TopicArn}`),
  );
  afterEach(() => jest.restoreAllMocks());

  it('visits the SubscribeURL', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('<ok/>', { status: 200 }));
    await sut.confirm(message);
    expect(String(fetchSpy.mock.calls[0][0])).toBe(message.SubscribeURL);
  });

  it('gives up after the timeout', async () => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockImplementation(
        (_url, init) =>
          new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
      );
    const started = Date.now();
    await expect(sut.confirm(message)).rejects.toBeInstanceOf(SubscriptionConfirmationError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails when SNS does not answer 200', async () => {
    jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('nope', { status: 403 }));
    await expect(sut.confirm(message)).rejects.toThrow('SubscribeURL answered 403');
  });

  it('never calls a SubscribeURL outside SNS', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    await expect(
      sut.confirm({ ...message, SubscribeURL: 'https://sns.eu-west-1.amazonaws.com.evil.test/x' }),
    ).rejects.toBeInstanceOf(SnsVerificationError);
    await expect(
      sut.confirm({ ...message, SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription' }),
    ).rejects.toBeInstanceOf(SnsVerificationError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('never calls the SubscribeURL of a topic outside SNS_TOPIC_ARNS, nor of any topic with an empty list', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('<ok/>', { status: 200 }));
    const stranger = { ...message, TopicArn: 'arn:aws:sns:eu-west-1:210987654321:ses-events' };
    await expect(sut.confirm(stranger)).rejects.toThrow(/is not in SNS_TOPIC_ARNS/);
    await expect(new SubscriptionConfirmer(config, new SnsTopicAllowList('')).confirm(message)).rejects.toBeInstanceOf(
      SnsVerificationError,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
