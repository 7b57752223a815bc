import { generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { selfSignedCertificate } from './self-signed-certificate';

describe(selfSignedCertificate.name, () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('makes a certificate that X.509 parsers read, signed by its own key', () => {
    const now = new Date('2030-06-01T00:00:00Z');
    const certificate = new X509Certificate(selfSignedCertificate(privateKey, 'Local SNS', 365, now));
    expect(certificate.subject).toBe('CN=Local SNS');
    expect(certificate.issuer).toBe('CN=Local SNS');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(new Date(certificate.validFrom).getTime()).toBe(now.getTime() - 24 * 3600 * 1000);
    expect(new Date(certificate.validTo).toISOString()).toBe('2031-06-01T00:00:00.000Z');
  });

  it('carries the public key that verifies what the private key signs', () => {
    const certificate = new X509Certificate(selfSignedCertificate(privateKey, 'Local SNS', 30));
    const signature = sign('RSA-SHA1', Buffer.from('string to sign'), privateKey);
    expect(verify('RSA-SHA1', Buffer.from('string to sign'), certificate.publicKey, signature)).toBe(true);
  });

  it('writes dates from 2050 on as GeneralizedTime', () => {
    const certificate = new X509Certificate(
      selfSignedCertificate(privateKey, 'Local SNS', 365, new Date('2049-12-01T00:00:00Z')),
    );
    expect(new Date(certificate.validTo).getUTCFullYear()).toBe(2050);
  });
});
