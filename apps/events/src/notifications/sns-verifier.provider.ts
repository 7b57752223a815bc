import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CertificateStore, SnsVerifier } from '@postline/ses';
import type { Env } from '../env';
import { SnsTopicAllowList } from './sns-topic-allow-list';

export const snsTopicAllowListProvider: Provider = {
  provide: SnsTopicAllowList,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) =>
    new SnsTopicAllowList(config.get('SNS_TOPIC_ARNS', { infer: true })),
};

/** The SNS verifier configured from the environment (one certificate cache per process). */
export const snsVerifierProvider: Provider = {
  provide: SnsVerifier,
  inject: [ConfigService, SnsTopicAllowList],
  useFactory: (config: ConfigService<Env, true>, topics: SnsTopicAllowList) => {
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
      // Empty only with local SES (env.ts): then any topic signed with the local certificate is accepted.
      topicArns: topics.arns,
      maxAgeSeconds: config.get('SNS_MAX_AGE_SECONDS', { infer: true }),
    });
  },
};
