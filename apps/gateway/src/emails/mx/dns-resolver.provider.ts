import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../env';
import { DNS_RESOLVER, systemDnsResolver } from './dns-resolver';

/** The system resolver; tests override DNS_RESOLVER with a fake. */
export const dnsResolverProvider: Provider = {
  provide: DNS_RESOLVER,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) => systemDnsResolver(config.get('MX_CHECK_TIMEOUT_MS', { infer: true })),
};
