import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseMailbox } from '@postline/contracts';
import { PrismaService } from '@postline/database';
import { ApiError } from '@postline/http';
import type { Env } from '../env';
import { AccountPolicyService } from './account-policy.service';

/** Parses an identity: an email address, or a domain. */
export function parseIdentity(input: string): { kind: 'EMAIL_ADDRESS' | 'DOMAIN'; identity: string } {
  const value = input.trim();
  const asAddress = parseMailbox(value.includes('@') ? value : `x@${value}`);
  if ('error' in asAddress) throw ApiError.validation([{ field: 'identity', message: `identity ${asAddress.error.replace(/^local part/, 'address')}` }]);
  return value.includes('@')
    ? { kind: 'EMAIL_ADDRESS', identity: asAddress.address.toLowerCase() }
    : { kind: 'DOMAIN', identity: asAddress.domain };
}

/**
 * Sender identities. With the local SES emulator (SES_ENDPOINT set), which has no identity API, identities
 * are verified at once: an explicit development mode, never used against AWS.
 */
@Injectable()
export class SenderIdentitiesService {
  private readonly devAutoVerify: boolean;

  constructor(
    private readonly prisma: PrismaService,
    private readonly policies: AccountPolicyService,
    config: ConfigService<Env, true>,
  ) {
    this.devAutoVerify = Boolean(config.get('SES_ENDPOINT', { infer: true }));
  }

  async add(accountId: string, input: string) {
    const { kind, identity } = parseIdentity(input);
    const status = this.devAutoVerify ? 'VERIFIED' : 'PENDING';
    const sender = await this.prisma.senderIdentity.upsert({
      where: { accountId_identity: { accountId, identity } },
      create: {
        id: randomUUID(),
        accountId,
        kind,
        identity,
        status,
        verifiedAt: status === 'VERIFIED' ? new Date() : null,
        statusReason: this.devAutoVerify ? 'verified at once: local SES emulator (development identity mode)' : null,
      },
      update: {},
    });
    this.policies.forget(accountId);
    return sender;
  }

  list(accountId: string) {
    return this.prisma.senderIdentity.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });
  }
}
