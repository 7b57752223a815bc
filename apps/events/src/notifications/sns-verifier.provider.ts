import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CertificateStore, SnsVerifier } from '@postline/ses';
import type { Env } from '../env';

/** The SNS verifier configured from the environment (one certificate cache per process). */
export const snsVerifierProvider: Provider = {
  provide: SnsVerifier,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) => {
    const certFile = config.get('SNS_CERT_FILE', { infer: true });
    if (certFile) {
      new Logger('SnsVerifier').warn(
        `SNS_CERT_FILE is set: notifications are verified against ${certFile}, not AWS's certificates`,
      );
    }
    const certificates = new CertificateStore({
      ...(certFile ? { certFile } : {}),
      fetchTimeoutMs: config.get('SNS_FETCH_TIMEOUT_MS', { infer: true }),
      ttlMs: config.get('SNS_CERT_CACHE_SECONDS', { infer: true }) * 1000,
    });
    return new SnsVerifier(certificates, {
      topicArns: config
        .get('SNS_TOPIC_ARNS', { infer: true })
        .split(',')
        .map((arn) => arn.trim())
        .filter(Boolean),
      maxAgeSeconds: config.get('SNS_MAX_AGE_SECONDS', { infer: true }),
    });
  },
};
