import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { verifyUnsubscribeToken } from '@postline/contracts';
import { PrismaService } from '@postline/database';
import { StatusRecorder } from '@postline/email-ledger';
import type { Env } from '../env';

export interface UnsubscribeTarget {
  emailId: string;
  accountId: string;
  to: string;
  from: string;
  /** The recipient already unsubscribed (from this email, or the address is on the list for it). */
  unsubscribed: boolean;
}

export type UnsubscribeMethod = 'one-click' | 'page';

/** Resolves unsubscribe tokens (HMAC-signed by the sender) and applies an unsubscribe. */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly recorder: StatusRecorder,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** The email a token names, or null for a forged, altered or stale token. */
  async find(token: string): Promise<UnsubscribeTarget | null> {
    const claims = verifyUnsubscribeToken(token, this.config.get('UNSUBSCRIBE_SECRET', { infer: true }));
    if (!claims) return null;
    const email = await this.prisma.email.findFirst({
      where: { id: claims.emailId, accountId: claims.accountId },
      select: { id: true, accountId: true, to: true, from: true, unsubscribedAt: true },
    });
    if (!email) return null;
    const suppression = await this.prisma.suppression.findUnique({
      where: { accountId_address: { accountId: email.accountId, address: email.to.toLowerCase() } },
      select: { reason: true },
    });
    return {
      emailId: email.id,
      accountId: email.accountId,
      to: email.to,
      from: email.from,
      unsubscribed: email.unsubscribedAt !== null || suppression?.reason === 'UNSUBSCRIBE',
    };
  }

  /**
   * The recipient leaves the account's list: suppression (UNSUBSCRIBE) and the email's UNSUBSCRIBED status
   * with its event and callbacks, in one transaction. Repeating it changes nothing.
   */
  async unsubscribe(target: UnsubscribeTarget, method: UnsubscribeMethod): Promise<void> {
    await this.recorder.record([
      {
        emailId: target.emailId,
        status: 'UNSUBSCRIBED',
        source: 'UNSUBSCRIBE',
        sourceId: `${target.emailId}:unsubscribe`,
        type: 'Unsubscribe',
        occurredAt: new Date(),
        details: { method },
        suppress: 'UNSUBSCRIBE',
      },
    ]);
  }
}
