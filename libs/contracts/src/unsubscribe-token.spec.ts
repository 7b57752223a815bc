import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe-token';

describe('unsubscribe token', () => {
  const secret = 'a-secret-of-at-least-sixteen';
  const claims = { emailId: '0b9c2b7e-5d2a-4c41-9f7a-1d2e3f405162', accountId: 'f0e1d2c3-b4a5-4697-8879-6a5b4c3d2e1f' };

  it('round-trips the email and account ids', () => {
    const token = signUnsubscribeToken(claims, secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyUnsubscribeToken(token, secret)).toEqual(claims);
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(claims, 'another-secret-value-x'), secret)).toBeNull();
  });

  it('refuses any altered character of payload or signature', () => {
    const token = signUnsubscribeToken(claims, secret);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(verifyUnsubscribeToken(altered, secret)).toBeNull();
    }
  });

  it('refuses a payload swapped onto another signature', () => {
    const a = signUnsubscribeToken(claims, secret).split('.');
    const b = signUnsubscribeToken({ ...claims, emailId: '11111111-2222-4333-8444-555555555555' }, secret).split('.');
    expect(verifyUnsubscribeToken(`${b[0]}.${a[1]}`, secret)).toBeNull();
  });

  it('refuses malformed tokens', () => {
    for (const bad of ['', '.', 'abc', 'a.b.c', 'a b.c', `${'A'.repeat(200)}.x`])
      expect(verifyUnsubscribeToken(bad, secret)).toBeNull();
  });

  it('builds the link under the public base URL', () => {
    expect(unsubscribeUrl('https://mail.example.com/', 'tok')).toBe('https://mail.example.com/unsubscribe/tok');
  });
});
