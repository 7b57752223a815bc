import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parseMailbox } from '@postline/contracts';
import { PrismaService, type SenderIdentity } from '@postline/database';
import { ApiError } from '@postline/http';
import { identityVerdict, mailFromDomainOf, SesIdentities, type SesIdentityState } from '@postline/ses';
import type { Env } from '../env';
import { AccountPolicyService } from './account-policy.service';
import { type IdentityMode, resolveIdentityMode } from './identity-mode';
import { IdentityStatusSync } from './identity-status-sync.service';
import { sesFailureToApiError } from './ses-identity-failure';
import { type SenderView, toSenderView } from './sender-view';

/** Parses an identity: an email address, or a domain. */
function parseIdentity(input: string): { kind: 'EMAIL_ADDRESS' | 'DOMAIN'; identity: string } {
  const value = input.trim();
  const asAddress = parseMailbox(value.includes('@') ? value : `x@${value}`);
  if ('error' in asAddress)
    throw ApiError.validation([
      { field: 'identity', message: `identity ${asAddress.error.replace(/^local part/, 'address')}` },
    ]);
  return value.includes('@')
    ? { kind: 'EMAIL_ADDRESS', identity: asAddress.address.toLowerCase() }
    : { kind: 'DOMAIN', identity: asAddress.domain };
}

/** Statuses from which adding the identity again starts a new verification. */
const RESTARTABLE = new Set<SenderIdentity['status']>(['FAILED', 'NOT_STARTED']);

const AUTO_VERIFIED_REASON =
  'verified at once: SES_IDENTITY_MODE=auto-verify (development mode, SES was not asked; the DKIM tokens are simulated)';

/**
 * Sender identities of an account: added by the support team, verified by SES (see IdentityMode), listed,
 * refreshed and removed by the account. Every change drops the cached account policy.
 */
@Injectable()
export class SenderIdentitiesService implements OnModuleInit {
  private readonly logger = new Logger(SenderIdentitiesService.name);
  readonly mode: IdentityMode;
  private readonly mailFromSubdomain: string | undefined;
  private readonly usesLocalSes: boolean;
  private readonly region: string;

  constructor(
    private readonly prisma: PrismaService,
    private readonly policies: AccountPolicyService,
    private readonly ses: SesIdentities,
    private readonly sync: IdentityStatusSync,
    config: ConfigService<Env, true>,
  ) {
    this.usesLocalSes = Boolean(config.get('SES_ENDPOINT', { infer: true }));
    this.mode = resolveIdentityMode({
      SES_IDENTITY_MODE: config.get('SES_IDENTITY_MODE', { infer: true }),
      SES_ENDPOINT: config.get('SES_ENDPOINT', { infer: true }),
    });
    this.mailFromSubdomain = config.get('SES_MAIL_FROM_SUBDOMAIN', { infer: true }) || undefined;
    this.region = config.get('SES_REGION', { infer: true });
  }

  onModuleInit(): void {
    if (this.mode === 'ses') {
      this.logger.log(`sender identity mode: ses (CreateEmailIdentity, then the periodic sync)`);
    } else if (this.usesLocalSes) {
      this.logger.log(
        'sender identity mode: auto-verify (local SES: identities are verified at once, SES is not asked)',
      );
    } else {
      this.logger.warn(
        'sender identity mode: auto-verify against AWS SES: identities are marked verified without SES, which will refuse to send from them',
      );
    }
  }

  /**
   * Adds an identity and starts its verification. Adding one that exists returns it as it is, unless its
   * verification failed or never started: then verification starts again.
   */
  async add(accountId: string, input: string): Promise<SenderIdentity> {
    const { kind, identity } = parseIdentity(input);
    const existing = await this.prisma.senderIdentity.findUnique({
      where: { accountId_identity: { accountId, identity } },
    });
    if (existing && !RESTARTABLE.has(existing.status)) return existing;
    const now = new Date();
    const fields =
      this.mode === 'auto-verify'
        ? this.simulatedVerification(kind, identity, now)
        : await this.startVerification(kind, identity, existing !== null, now).catch(sesFailureToApiError);
    const sender = await this.prisma.senderIdentity.upsert({
      where: { accountId_identity: { accountId, identity } },
      create: { id: randomUUID(), accountId, kind, identity, ...fields },
      update: fields,
    });
    this.policies.forget(accountId);
    this.logger.log(`sender identity ${identity} added to account ${accountId}: ${sender.status}`);
    return sender;
  }

  /** The API view of an identity, with the DNS records of a domain. */
  view(sender: SenderIdentity): SenderView {
    return toSenderView(sender, this.region);
  }

  list(accountId: string): Promise<SenderIdentity[]> {
    return this.prisma.senderIdentity.findMany({
      where: { accountId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** One identity of the account; another account's is "not found". */
  async find(accountId: string, id: string): Promise<SenderIdentity> {
    const sender = await this.prisma.senderIdentity.findFirst({ where: { id, accountId } });
    if (!sender) throw ApiError.notFound('Sender identity');
    return sender;
  }

  /** Reads the identity's state from SES now (the periodic sync does the same for every pending one). */
  async refresh(accountId: string, id: string): Promise<SenderIdentity> {
    const sender = await this.find(accountId, id);
    if (this.mode === 'auto-verify') {
      if (sender.status === 'VERIFIED') return sender;
      const verified = await this.prisma.senderIdentity.update({
        where: { id: sender.id },
        data: {
          status: 'VERIFIED',
          statusReason: AUTO_VERIFIED_REASON,
          verifiedAt: new Date(),
          lastCheckedAt: new Date(),
        },
      });
      this.policies.forget(accountId);
      return verified;
    }
    return this.sync.refresh(sender).catch(sesFailureToApiError);
  }

  /**
   * Removes an identity; SES's identity is deleted too unless another account still uses it (an SES
   * identity belongs to the whole AWS account). SES is asked first: if it fails, nothing is removed.
   */
  async remove(
    accountId: string,
    id: string,
  ): Promise<{ id: string; identity: string; deleted: true; sesIdentityDeleted: boolean }> {
    const sender = await this.find(accountId, id);
    let sesIdentityDeleted = false;
    if (this.mode === 'ses') {
      const sharedWith = await this.prisma.senderIdentity.count({
        where: { identity: sender.identity, accountId: { not: accountId } },
      });
      if (sharedWith === 0) sesIdentityDeleted = await this.ses.delete(sender.identity).catch(sesFailureToApiError);
    }
    await this.prisma.senderIdentity.deleteMany({ where: { id: sender.id, accountId } });
    this.policies.forget(accountId);
    this.logger.log(`sender identity ${sender.identity} removed from account ${accountId}`);
    return { id: sender.id, identity: sender.identity, deleted: true, sesIdentityDeleted };
  }

  /**
   * Verified at once, with what SES would have returned for a domain (three Easy DKIM tokens, the custom MAIL
   * FROM domain), so that GET /senders shows locally the records a user will publish against SES.
   */
  private simulatedVerification(kind: SenderIdentity['kind'], identity: string, now: Date) {
    const domain = kind === 'DOMAIN';
    return {
      status: 'VERIFIED' as const,
      statusReason: AUTO_VERIFIED_REASON,
      dkimTokens: domain ? [1, 2, 3].map(() => randomBytes(16).toString('hex')) : [],
      dkimSigningZone: null,
      mailFromDomain: domain ? mailFromDomainOf(identity, this.mailFromSubdomain) : null,
      mailFromStatus: domain && this.mailFromSubdomain ? 'SUCCESS' : null,
      verifiedAt: now,
    };
  }

  private async startVerification(kind: SenderIdentity['kind'], identity: string, restart: boolean, now: Date) {
    let state: SesIdentityState | null = null;
    if (restart) {
      // The stored FAILED may be stale: only a verification SES also considers dead is started again.
      state = await this.ses.get(identity);
      const current = state && identityVerdict(kind, state).status;
      if (state && (current === 'FAILED' || current === 'NOT_STARTED')) {
        await this.ses.delete(identity);
        state = null;
      }
    }
    state ??= await this.ses.create(identity);
    const mailFromDomain = kind === 'DOMAIN' ? mailFromDomainOf(identity, this.mailFromSubdomain) : null;
    if (mailFromDomain && state.mailFromDomain !== mailFromDomain) {
      await this.ses.setMailFrom(identity, mailFromDomain);
      state = { ...state, mailFromDomain, mailFromStatus: 'PENDING' };
    }
    const verdict = identityVerdict(kind, state);
    return {
      status: verdict.status,
      statusReason: verdict.reason,
      dkimTokens: state.dkimTokens,
      dkimSigningZone: state.dkimSigningZone ?? null,
      mailFromDomain: state.mailFromDomain ?? null,
      mailFromStatus: state.mailFromStatus ?? null,
      lastCheckedAt: now,
      verifiedAt: verdict.status === 'VERIFIED' ? now : null,
    };
  }
}
