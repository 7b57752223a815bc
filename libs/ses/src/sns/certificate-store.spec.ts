import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SIGNING_CERT_FILE } from '../testing/ses-fixtures';
import { CertificateStore, type PemFetcher } from './certificate-store';
import { SnsCertificateUnavailableError, SnsVerificationError } from './sns-verification.error';

const CERT_URL = new URL('https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123.pem');
const PEM = readFileSync(TEST_SIGNING_CERT_FILE, 'utf8');

describe(CertificateStore.name, () => {
  it('downloads a certificate once and serves it from the cache until it expires', async () => {
    let now = 1_000_000;
    const fetchPem = jest.fn<ReturnType<PemFetcher>, Parameters<PemFetcher>>().mockResolvedValue(PEM);
    const sut = new CertificateStore({ fetchTimeoutMs: 1000, ttlMs: 60_000, fetchPem, now: () => Date.now() + now });

    const [a, b] = await Promise.all([sut.publicKey(CERT_URL), sut.publicKey(CERT_URL)]);
    expect(a.asymmetricKeyType).toBe('rsa');
    expect(b).toBe(a);
    expect(fetchPem).toHaveBeenCalledTimes(1);

    now += 61_000;
    await sut.publicKey(CERT_URL);
    expect(fetchPem).toHaveBeenCalledTimes(2);
  });

  it('gives up on a download that takes longer than the timeout, and does not cache the failure', async () => {
    const fetchPem = jest.fn<ReturnType<PemFetcher>, Parameters<PemFetcher>>(
      (_url, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    );
    const sut = new CertificateStore({ fetchTimeoutMs: 50, ttlMs: 60_000, fetchPem });

    const started = Date.now();
    await expect(sut.publicKey(CERT_URL)).rejects.toThrow(SnsCertificateUnavailableError);
    expect(Date.now() - started).toBeLessThan(1000);

    fetchPem.mockResolvedValueOnce(PEM);
    await expect(sut.publicKey(CERT_URL)).resolves.toBeDefined();
    expect(fetchPem).toHaveBeenCalledTimes(2);
  });

  it('refuses a download that is not a certificate', async () => {
    const sut = new CertificateStore({ fetchTimeoutMs: 50, ttlMs: 60_000, fetchPem: async () => '<html>nope</html>' });
    await expect(sut.publicKey(CERT_URL)).rejects.toThrow(SnsVerificationError);
  });

  it('refuses a certificate outside its validity period', async () => {
    const sut = new CertificateStore({
      fetchTimeoutMs: 50,
      ttlMs: 60_000,
      fetchPem: async () => PEM,
      now: () => Date.parse('2050-01-01'),
    });
    await expect(sut.publicKey(CERT_URL)).rejects.toThrow(/not valid now/);
  });

  describe('with a certificate file', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sns-cert-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('never downloads, and waits for a file that does not exist yet', async () => {
      const file = join(dir, 'cert.pem');
      const fetchPem = jest.fn<ReturnType<PemFetcher>, Parameters<PemFetcher>>();
      const sut = new CertificateStore({ certFile: file, fetchTimeoutMs: 50, ttlMs: 60_000, fetchPem });

      await expect(sut.publicKey(CERT_URL)).rejects.toThrow(SnsCertificateUnavailableError);
      copyFileSync(TEST_SIGNING_CERT_FILE, file);
      await expect(sut.publicKey(CERT_URL)).resolves.toBeDefined();
      expect(fetchPem).not.toHaveBeenCalled();
    });

    it('reloads the file when it changed', async () => {
      const file = join(dir, 'cert.pem');
      copyFileSync(TEST_SIGNING_CERT_FILE, file);
      const sut = new CertificateStore({ certFile: file, fetchTimeoutMs: 50, ttlMs: 60_000 });
      const first = await sut.publicKey(CERT_URL);

      expect(await sut.reloadIfChanged()).toBe(false);
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(await sut.reloadIfChanged()).toBe(true);
      expect(await sut.publicKey(CERT_URL)).not.toBe(first);
    });
  });
});
