import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { secretKey, signatureHeader } from './webhook-signature';

describe(signatureHeader.name, () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = JSON.stringify({ id: 'evt_1', type: 'email.status', timestamp: 1, data: { status: 'SENT' } });

  function headers(signature: string, timestamp: number) {
    return { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
  }

  it('produces what the standardwebhooks package signs and verifies', () => {
    const at = new Date();
    const ts = Math.floor(at.getTime() / 1000);
    const sut = signatureHeader([secretKey(secret)], 'evt_1', ts, body);
    expect(sut).toBe(new Webhook(secret).sign('evt_1', at, body));
    expect(new Webhook(secret).verify(body, headers(sut, ts))).toEqual(JSON.parse(body));
  });

  it('carries one signature per active secret, each verifiable on its own', () => {
    const previous = `whsec_${randomBytes(24).toString('base64')}`;
    const ts = Math.floor(Date.now() / 1000);
    const sut = signatureHeader([secretKey(secret), secretKey(previous)], 'evt_1', ts, body);
    expect(sut.split(' ')).toHaveLength(2);
    expect(() => new Webhook(secret).verify(body, headers(sut, ts))).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers(sut, ts))).not.toThrow();
    expect(() => new Webhook(`whsec_${randomBytes(24).toString('base64')}`).verify(body, headers(sut, ts))).toThrow();
  });

  it('no longer verifies once the body changed', () => {
    const ts = Math.floor(Date.now() / 1000);
    const sut = signatureHeader([secretKey(secret)], 'evt_1', ts, body);
    expect(() => new Webhook(secret).verify(body.replace('SENT', 'OPEN'), headers(sut, ts))).toThrow();
  });
});
