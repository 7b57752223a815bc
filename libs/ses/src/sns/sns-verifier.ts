import { verify } from 'node:crypto';
import type { CertificateStore } from './certificate-store';
import type { SnsEnvelope } from './sns-envelope';
import { assertSigningCertUrl } from './sns-url';
import { SnsVerificationError } from './sns-verification.error';
import { signatureAlgorithm, stringToSign } from './string-to-sign';

export interface SnsVerifierOptions {
  /** Accepted topic ARNs; empty accepts every topic. */
  topicArns: readonly string[];
  /** Oldest accepted message (by its Timestamp), in seconds; 0 turns the check off. */
  maxAgeSeconds: number;
  now?: () => number;
}

// SNS clocks and ours may disagree a little; a message from further in the future is refused.
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Verifies an SNS message as AWS documents it: topic allowed, not too old, certificate URL on an SNS host of
 * the topic's region, and the RSA signature (SignatureVersion 1 = SHA1, 2 = SHA256) over the exact string to sign.
 * Throws SnsVerificationError (refuse: 403) or SnsCertificateUnavailableError (retry later: 503).
 */
export class SnsVerifier {
  private readonly topics: ReadonlySet<string>;
  private readonly now: () => number;

  constructor(
    private readonly certificates: CertificateStore,
    private readonly options: SnsVerifierOptions,
  ) {
    this.topics = new Set(options.topicArns);
    this.now = options.now ?? Date.now;
  }

  async verify(message: SnsEnvelope): Promise<void> {
    if (this.topics.size > 0 && !this.topics.has(message.TopicArn)) {
      throw new SnsVerificationError(`topic ${message.TopicArn} is not allowed`);
    }
    this.checkAge(message.Timestamp);
    const certUrl = assertSigningCertUrl(message.SigningCertURL, message.TopicArn);
    const signature = Buffer.from(message.Signature, 'base64');
    const data = Buffer.from(stringToSign(message), 'utf8');
    const algorithm = signatureAlgorithm(message.SignatureVersion);
    if (verify(algorithm, data, await this.certificates.publicKey(certUrl), signature)) return;
    // The local signing certificate may have been regenerated since we read it.
    if (
      (await this.certificates.reloadIfChanged()) &&
      verify(algorithm, data, await this.certificates.publicKey(certUrl), signature)
    ) {
      return;
    }
    throw new SnsVerificationError('signature does not match');
  }

  private checkAge(timestamp: string): void {
    const at = Date.parse(timestamp);
    if (Number.isNaN(at)) throw new SnsVerificationError('Timestamp is not a date');
    if (this.options.maxAgeSeconds <= 0) return;
    const now = this.now();
    if (at < now - this.options.maxAgeSeconds * 1000)
      throw new SnsVerificationError(`message is older than ${this.options.maxAgeSeconds} s`);
    if (at > now + CLOCK_SKEW_MS) throw new SnsVerificationError('message is from the future');
  }
}
