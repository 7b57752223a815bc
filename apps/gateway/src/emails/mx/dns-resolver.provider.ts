import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../env';
import { DNS_RESOLVER, systemDnsResolver } from './dns-resolver';

/** node's resolver on MX_CHECK_DNS_SERVERS or the system's servers. */
export const dnsResolverProvider: Provider = {
  provide: DNS_RESOLVER,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) =>
    systemDnsResolver(
      config.get('MX_CHECK_TIMEOUT_MS', { infer: true }),
      (config.get('MX_CHECK_DNS_SERVERS', { infer: true }) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
};
