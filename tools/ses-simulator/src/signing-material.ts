import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { selfSignedCertificate } from './self-signed-certificate';

export interface SigningMaterial {
  privateKey: KeyObject;
  certificatePem: string;
  /** Where SNS would publish this certificate: the host the events service checks, the name SNS uses. */
  certUrl(region: string): string;
}

function material(privateKey: KeyObject, certificatePem: string): SigningMaterial {
  const digest = createHash('md5').update(certificatePem).digest('hex');
  return {
    privateKey,
    certificatePem,
    certUrl: (region) => `https://sns.${region}.amazonaws.com/SimpleNotificationService-${digest}.pem`,
  };
}

function matches(privateKey: KeyObject, certificatePem: string): boolean {
  try {
    const certificate = new X509Certificate(certificatePem);
    const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
    return (
      spki(certificate.publicKey).equals(spki(createPublicKey(privateKey))) &&
      Date.parse(certificate.validTo) > Date.now()
    );
  } catch {
    return false;
  }
}

/** Writes through a temporary file, so a reader never sees half a PEM. */
function writeAtomically(file: string, content: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}

/**
 * The local SNS signing key and its self-signed certificate: read from the two files when they exist and
 * belong together, generated and written when neither exists. Any other state (one file missing, a key that does
 * not match the certificate, an expired certificate) is refused: those files may be someone else's, so they are
 * never overwritten. The events service trusts the certificate through SNS_CERT_FILE (and re-reads it on change).
 */
export function loadOrCreateSigningMaterial(keyFile: string, certFile: string): SigningMaterial & { created: boolean } {
  const [hasKey, hasCert] = [existsSync(keyFile), existsSync(certFile)];
  if (hasKey && hasCert) {
    const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
    const certificatePem = readFileSync(certFile, 'utf8');
    if (matches(privateKey, certificatePem)) return { ...material(privateKey, certificatePem), created: false };
  }
  if (hasKey || hasCert)
    throw new Error(
      `SNS_SIGNING_KEY_FILE=${keyFile} and SNS_CERT_FILE=${certFile} are not a matching, valid pair (` +
        `${!hasKey ? 'no key file' : !hasCert ? 'no certificate file' : 'the key does not match the certificate, or it expired'}` +
        '). They are left as they are: point both at a matching pair, or at two paths that do not exist yet to have new ones made.',
    );
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = selfSignedCertificate(privateKey, 'Postline local SNS signing - not an AWS certificate', 3650);
  writeAtomically(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  writeAtomically(certFile, certificatePem, 0o644);
  return { ...material(privateKey, certificatePem), created: true };
}
