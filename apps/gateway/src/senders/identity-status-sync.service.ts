import { Injectable, Logger } from '@nestjs/common';
import { type Prisma, PrismaService, type SenderIdentity } from '@postline/database';
import { identityVerdict, SesIdentities, SesIdentityError, type SesIdentityState } from '@postline/ses';
import { AccountPolicyService } from './account-policy.service';

/** Identities checked per sync run, oldest check first; the rest wait for the next run. */
const SYNC_BATCH = 100;
/** SES calls in flight at once during a run (its identity API allows only a few calls per second). */
const SYNC_CONCURRENCY = 2;
/** Identities SES verified are checked again this often: DNS records removed make SES fail them. */
export const RECHECK_VERIFIED_MS = 24 * 3600_000;

export interface SyncOutcome {
  checked: number;
  changed: number;
  failed: number;
}

/**
 * Brings stored identities in line with SES (GetEmailIdentity, mapped by `identityVerdict`). Each run reads
 * those still being verified (PENDING, TEMPORARY_FAILURE) and, once a day, those SES verified. An SES
 * identity belongs to the AWS account, so accounts sharing one are updated from a single call. A status
 * change drops this process's cached account policy; other replicas see it within the cache's 2 s.
 */
@Injectable()
export class IdentityStatusSync {
  private readonly logger = new Logger(IdentityStatusSync.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly ses: SesIdentities,
    private readonly policies: AccountPolicyService,
  ) {}

  async syncDue(now = new Date()): Promise<SyncOutcome> {
    const due = await this.prisma.senderIdentity.findMany({
      where: {
        OR: [
          { status: { in: ['PENDING', 'TEMPORARY_FAILURE'] } },
          // Never-checked VERIFIED rows were verified without SES (development mode): not SES's to judge.
          { status: 'VERIFIED', lastCheckedAt: { lt: new Date(now.getTime() - RECHECK_VERIFIED_MS) } },
        ],
      },
      orderBy: { lastCheckedAt: { sort: 'asc', nulls: 'first' } },
      take: SYNC_BATCH,
    });
    const byIdentity = new Map<string, SenderIdentity[]>();
    for (const row of due) byIdentity.set(row.identity, [...(byIdentity.get(row.identity) ?? []), row]);

    const outcome: SyncOutcome = { checked: 0, changed: 0, failed: 0 };
    const groups = [...byIdentity.values()];
    const worker = async () => {
      for (let group = groups.shift(); group; group = groups.shift()) {
        try {
          const state = await this.ses.get(group[0].identity);
          for (const row of group) {
            outcome.checked += 1;
            if (await this.apply(row, state, now)) outcome.changed += 1;
          }
        } catch (error) {
          outcome.failed += group.length;
          this.logger.warn(`could not read SES identity ${group[0].identity}: ${(error as Error).message}`);
          // Throttled: the rest of this run would be throttled too; the next run resumes (oldest check first).
          if (error instanceof SesIdentityError && error.kind === 'throttled') groups.length = 0;
        }
      }
    };
    await Promise.all(Array.from({ length: SYNC_CONCURRENCY }, worker));
    if (outcome.checked + outcome.failed > 0) this.logger.log(`identity sync: ${JSON.stringify(outcome)}`);
    return outcome;
  }

  /** Reads one identity from SES now and stores what it says (SesIdentityError when SES cannot answer). */
  async refresh(row: SenderIdentity, now = new Date()): Promise<SenderIdentity> {
    const state = await this.ses.get(row.identity);
    await this.apply(row, state, now);
    return this.prisma.senderIdentity.findUniqueOrThrow({ where: { id: row.id } });
  }

  /** Stores SES's state of one row; true when its status changed. `state` null: SES does not know it. */
  async apply(row: SenderIdentity, state: SesIdentityState | null, now: Date): Promise<boolean> {
    const data = nextFields(row, state, now);
    const { count } = await this.prisma.senderIdentity.updateMany({ where: { id: row.id }, data });
    const changed = count > 0 && data.status !== row.status;
    if (changed) {
      this.policies.forget(row.accountId);
      this.logger.log(
        `sender identity ${row.identity} of account ${row.accountId}: ${row.status} → ${data.status} (${data.statusReason})`,
      );
    }
    return changed;
  }
}

/** The row's fields after an SES read. Token and zone are kept when SES leaves them out. */
function nextFields(row: SenderIdentity, state: SesIdentityState | null, now: Date) {
  const verdict = state
    ? identityVerdict(row.kind, state)
    : {
        status: 'FAILED' as const,
        reason: 'SES does not know this identity (deleted outside Postline?); add the sender again',
      };
  return {
    status: verdict.status,
    statusReason: verdict.reason,
    dkimTokens: state && state.dkimTokens.length > 0 ? state.dkimTokens : row.dkimTokens,
    dkimSigningZone: state?.dkimSigningZone ?? row.dkimSigningZone,
    mailFromDomain: state?.mailFromDomain ?? row.mailFromDomain,
    mailFromStatus: state?.mailFromStatus ?? (state ? row.mailFromStatus : null),
    lastCheckedAt: now,
    verifiedAt:
      verdict.status === 'VERIFIED'
        ? row.status === 'VERIFIED' && row.verifiedAt
          ? row.verifiedAt
          : now
        : row.verifiedAt,
  } satisfies Prisma.SenderIdentityUpdateManyMutationInput;
}
