import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate } from './self-signed-certificate';
import { loadOrCreateSigningMaterial } from './signing-material';

describe(loadOrCreateSigningMaterial.name, () => {
  let dir: string;
  let keyFile: string;
  let certFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'postline-signing-'));
    keyFile = join(dir, 'key.pem');
    certFile = join(dir, 'cert.pem');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a matching pair when neither file exists, then reads that pair back', () => {
    const first = loadOrCreateSigningMaterial(keyFile, certFile);
    const second = loadOrCreateSigningMaterial(keyFile, certFile);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.certificatePem).toBe(first.certificatePem);
  });

  it('never overwrites a certificate its key does not match', () => {
    loadOrCreateSigningMaterial(keyFile, certFile);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const someoneElses = selfSignedCertificate(privateKey, 'another service', 30);
    writeFileSync(certFile, someoneElses);
    const key = readFileSync(keyFile, 'utf8');

    expect(() => loadOrCreateSigningMaterial(keyFile, certFile)).toThrow(/not a matching, valid pair/);
    expect(readFileSync(certFile, 'utf8')).toBe(someoneElses);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);
  });

  it('never writes a key beside a certificate it did not make', () => {
    writeFileSync(certFile, 'a certificate of someone else');
    expect(() => loadOrCreateSigningMaterial(keyFile, certFile)).toThrow(/no key file/);
    expect(existsSync(keyFile)).toBe(false);
    expect(readFileSync(certFile, 'utf8')).toBe('a certificate of someone else');
  });
});
