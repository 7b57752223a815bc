import { MessageRejected, SendingPausedException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { OutgoingEmail } from '../content/message-builder';
import type { Env } from '../env';
import type { DispatchStore, Preparation } from './dispatch-store.service';
import { EmailDispatcher } from './email-dispatcher.service';
import type { SendPacer } from './send-pacer.service';

const settings: Partial<Env> = {
  PUBLIC_BASE_URL: 'https://mail.example.com',
  UNSUBSCRIBE_SECRET: 'secret-0123456789abcdef',
  SEND_MAX_ATTEMPTS: 3,
  SEND_RETRY_BASE_DELAY_MS: 1000,
  SEND_RETRY_MAX_DELAY_MS: 60_000,
  SEND_CONFIRM_TIMEOUT_MS: 60_000,
  SEND_CONFIRM_POLL_MS: 5_000,
};

const email: OutgoingEmail = {
  id: '0b9c2b7e-5d2a-4c41-9f7a-1d2e3f405162',
  accountId: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f',
  to: 'user@example.com',
  from: 'promo@shop.test',
  alias: null,
  subject: 'Hi',
  text: 'hello',
  unsubscribeMsg: 'Unsubscribe',
};

describe(EmailDispatcher.name, () => {
  let preparation: Preparation;
  let store: Record<'journal' | 'recordFailure' | 'releaseDispatch' | 'markAmbiguous', jest.Mock>;
  let ses: { send: jest.Mock };
  let sut: EmailDispatcher;
  const remember = jest.fn(async (_sesMessageId: string) => undefined);
  const serviceError = (error: Error, status: number) =>
    Object.assign(error, { $metadata: { httpStatusCode: status } });

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(() => {
    preparation = { kind: 'send', email, attempt: 1 };
    store = {
      journal: jest.fn(async (ids: readonly string[]) => ids.map(() => preparation)),
      recordFailure: jest.fn(async () => undefined),
      releaseDispatch: jest.fn(async () => undefined),
      markAmbiguous: jest.fn(async () => true),
    };
    ses = { send: jest.fn(async () => ({ MessageId: 'ses-1' })) };
    const config = { get: (key: keyof Env) => settings[key] } as unknown as ConfigService<Env, true>;
    const pacer = { acquire: async () => Date.now() } as unknown as SendPacer;
    sut = new EmailDispatcher(store as unknown as DispatchStore, ses as unknown as SESv2Client, pacer, config);
    remember.mockClear();
  });

  it('sends once and records SENT with the MessageId', async () => {
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    expect(ses.send).toHaveBeenCalledTimes(1);
    expect(store.journal).toHaveBeenLastCalledWith(
      [],
      [expect.objectContaining({ emailId: email.id, sesMessageId: 'ses-1' })],
      new Map(),
    );
  });

  it('records NOT_SENT on MessageRejected', async () => {
    ses.send.mockRejectedValueOnce(serviceError(new MessageRejected({ message: 'no', $metadata: {} }), 400));
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    expect(store.recordFailure).toHaveBeenCalledWith(
      email.id,
      'NOT_SENT',
      'SES MessageRejected (HTTP 400): no',
      expect.objectContaining({ attempt: 1 }),
    );
  });

  it('releases the dispatch and retries later on throttling, until the last attempt ends EXHAUSTED', async () => {
    ses.send.mockRejectedValue(serviceError(new TooManyRequestsException({ message: 'slow', $metadata: {} }), 429));
    const outcome = await sut.dispatch(email.id, { remember });
    expect(outcome).toEqual({ kind: 'later', delayMs: expect.any(Number) });
    expect((outcome as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(500);
    expect(store.releaseDispatch).toHaveBeenCalledWith(email.id);

    preparation = { kind: 'send', email, attempt: 3 };
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    expect(store.recordFailure).toHaveBeenCalledWith(
      email.id,
      'EXHAUSTED',
      expect.stringMatching(/^3 attempts failed; last: SES TooManyRequestsException/),
      expect.anything(),
    );
  });

  it('pauses on SendingPaused, giving the attempt back', async () => {
    ses.send.mockRejectedValueOnce(serviceError(new SendingPausedException({ message: 'paused', $metadata: {} }), 400));
    await expect(sut.dispatch(email.id, { remember })).resolves.toMatchObject({
      kind: 'pause',
      failure: { code: 'SendingPausedException' },
    });
    expect(store.releaseDispatch).toHaveBeenCalledWith(email.id, true);
  });

  it('keeps an ambiguous dispatch STARTED and waits instead of resending', async () => {
    ses.send.mockRejectedValueOnce(
      Object.assign(new Error('a request has exceeded the configured requestTimeout'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
    );
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({
      kind: 'later',
      delayMs: 5_000,
      confirming: true,
    });
    expect(store.releaseDispatch).not.toHaveBeenCalled();
    expect(store.recordFailure).not.toHaveBeenCalled();
  });

  it('never calls SES for an email in doubt: waits within the window, then marks it AMBIGUOUS', async () => {
    preparation = { kind: 'in-doubt', startedAt: new Date(Date.now() - 58_000) };
    const waiting = await sut.dispatch(email.id, { remember });
    expect(waiting.kind).toBe('later');
    expect((waiting as { delayMs: number }).delayMs).toBeLessThanOrEqual(2_000);

    preparation = { kind: 'in-doubt', startedAt: new Date(Date.now() - 61_000) };
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    expect(store.markAmbiguous).toHaveBeenCalledWith(
      email.id,
      expect.stringContaining('not sent again to avoid a duplicate'),
    );
    expect(ses.send).not.toHaveBeenCalled();
  });

  it('keeps the MessageId with the job when SENT cannot be recorded, and records it next time without SES', async () => {
    store.journal.mockImplementationOnce(async (ids: readonly string[]) => ids.map(() => preparation));
    store.journal.mockRejectedValueOnce(new Error('Connection terminated'));
    await expect(sut.dispatch(email.id, { remember })).rejects.toThrow('Connection terminated');
    expect(remember).toHaveBeenCalledWith('ses-1');

    await expect(sut.dispatch(email.id, { knownMessageId: 'ses-1', remember })).resolves.toEqual({ kind: 'done' });
    expect(ses.send).toHaveBeenCalledTimes(1);
    expect(store.journal).toHaveBeenCalledTimes(3);
    expect(store.journal).toHaveBeenLastCalledWith([], [expect.objectContaining({ sesMessageId: 'ses-1' })], new Map());
  });

  it('does nothing for emails refused at pickup or already finished', async () => {
    preparation = { kind: 'refused', status: 'BLACKLISTED', reason: 'suppressed' };
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    preparation = { kind: 'finished', status: 'DELIVERED' };
    await expect(sut.dispatch(email.id, { remember })).resolves.toEqual({ kind: 'done' });
    expect(ses.send).not.toHaveBeenCalled();
  });
});
