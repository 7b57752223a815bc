import { type KeyObject, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { SnsCertificateUnavailableError, SnsVerificationError } from './sns-verification.error';

/** Downloads a PEM; must give up when `signal` aborts. */
export type PemFetcher = (url: URL, signal: AbortSignal) => Promise<string>;

export interface CertificateStoreOptions {
  /** A PEM used instead of downloading SigningCertURL (tests, the local SES events tool). */
  certFile?: string;
  fetchTimeoutMs: number;
  /** How long a downloaded certificate is trusted before it is fetched again. */
  ttlMs: number;
  fetchPem?: PemFetcher;
  now?: () => number;
}

const MAX_PEM_BYTES = 64 * 1024;
const MAX_ENTRIES = 64;

/** Default fetcher: HTTPS GET with no redirects (a redirect could leave the checked host) and a size cap. */
export const fetchPemOverHttps: PemFetcher = async (url, signal) => {
  const response = await fetch(url, { signal, redirect: 'error' });
  // SNS answered but has no such certificate: the URL is forged, not the network at fault.
  if (response.status !== 200) throw new SnsVerificationError(`certificate download answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_PEM_BYTES) throw new Error('certificate download too large');
  return text;
};

interface CachedKey {
  key: Promise<KeyObject>;
  expiresAt: number;
}

/**
 * Public keys of SNS signing certificates, by URL. Downloads are cached (SNS signs with a handful of
 * certificates), time out, and are never cached when they fail. With `certFile` that file's key serves every
 * URL; it is read lazily and re-read when it changes, so the process that writes it may start later.
 */
export class CertificateStore {
  private readonly cache = new Map<string, CachedKey>();
  private fileKey?: { key: KeyObject; mtimeMs: number };
  private readonly fetchPem: PemFetcher;
  private readonly now: () => number;

  constructor(private readonly options: CertificateStoreOptions) {
    this.fetchPem = options.fetchPem ?? fetchPemOverHttps;
    this.now = options.now ?? Date.now;
  }

  async publicKey(url: URL): Promise<KeyObject> {
    if (this.options.certFile) return this.keyFromFile();
    const href = url.href;
    const cached = this.cache.get(href);
    if (cached && cached.expiresAt > this.now()) return cached.key;
    const key = this.download(url);
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(href, { key, expiresAt: this.now() + this.options.ttlMs });
    key.catch(() => this.cache.delete(href));
    return key;
  }

  /** After a failed verification with the certificate file: true when the file changed and was reloaded. */
  async reloadIfChanged(): Promise<boolean> {
    if (!this.options.certFile || !this.fileKey) return false;
    const { mtimeMs } = await stat(this.options.certFile).catch(() => ({ mtimeMs: -1 }));
    if (mtimeMs === this.fileKey.mtimeMs) return false;
    this.fileKey = undefined;
    await this.keyFromFile();
    return true;
  }

  private async keyFromFile(): Promise<KeyObject> {
    if (this.fileKey) return this.fileKey.key;
    const file = this.options.certFile as string;
    try {
      const [pem, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
      const key = this.keyOf(pem);
      this.fileKey = { key, mtimeMs: info.mtimeMs };
      return key;
    } catch (error) {
      if (error instanceof SnsVerificationError) throw error;
      throw new SnsCertificateUnavailableError(`signing certificate file unreadable: ${(error as Error).message}`);
    }
  }

  private async download(url: URL): Promise<KeyObject> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.fetchTimeoutMs);
    try {
      return this.keyOf(await this.fetchPem(url, controller.signal));
    } catch (error) {
      if (error instanceof SnsVerificationError) throw error;
      const reason = controller.signal.aborted
        ? `timed out after ${this.options.fetchTimeoutMs} ms`
        : (error as Error).message;
      throw new SnsCertificateUnavailableError(`signing certificate unavailable: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private keyOf(pem: string): KeyObject {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new SnsVerificationError('signing certificate is not a PEM certificate');
    }
    const now = this.now();
    if (Date.parse(certificate.validFrom) > now || Date.parse(certificate.validTo) < now) {
      throw new SnsVerificationError('signing certificate is not valid now');
    }
    return certificate.publicKey;
  }
}
