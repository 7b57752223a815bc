import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from './webhook-verifier';

describe(verifyWebhook.name, () => {
  const current = `whsec_${Buffer.from('current-secret-0123456789abcdef').toString('base64')}`;
  const previous = `whsec_${Buffer.from('previous-secret-0123456789abcde').toString('base64')}`;
  const body = JSON.stringify({ id: 'evt_1', type: 'email.status', timestamp: 1, data: { status: 'SENT' } });
  const signed = (secret: string) => {
    const timestamp = new Date();
    const signature = new Webhook(secret).sign('evt_1', timestamp, body);
    return {
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    };
  };

  it('returns the event of a callback signed with the current or the previous secret', () => {
    expect(verifyWebhook(current, body, signed(current))).toMatchObject({ id: 'evt_1', type: 'email.status' });
    expect(verifyWebhook([current, previous], Buffer.from(body), signed(previous)).data).toEqual({ status: 'SENT' });
  });

  it('throws on a changed body, another secret or a missing signature', () => {
    expect(() => verifyWebhook(current, body.replace('SENT', 'OPEN'), signed(current))).toThrow(
      WebhookVerificationError,
    );
    expect(() => verifyWebhook(current, body, signed(previous))).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(current, body, { 'webhook-id': 'evt_1' })).toThrow(WebhookVerificationError);
  });
});
