import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PrismaService } from '@postline/database';
import { ApiError } from '@postline/http';
import { newWebhookSecret } from '../admin/accounts.service';
import type { Env } from '../env';

export interface WebhookSecretView {
  secret: string;
  /** The rotated-out secret while it still signs (two signatures are sent), else null. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
}

/** The account's Standard Webhooks secret (`whsec_…`) and its rotation. */
@Injectable()
export class WebhookSecretService {
  private readonly overlapMs: number;

  constructor(
    private readonly prisma: PrismaService,
    config: ConfigService<Env, true>,
  ) {
    this.overlapMs = config.get('WEBHOOK_SECRET_OVERLAP_HOURS', { infer: true }) * 3_600_000;
  }

  async get(accountId: string): Promise<WebhookSecretView> {
    const account = await this.prisma.account.findUnique({
      where: { id: accountId },
      select: { webhookSecret: true, previousWebhookSecret: true, previousSecretExpiresAt: true },
    });
    if (!account) throw ApiError.notFound('Account');
    return this.view(account);
  }

  /**
   * A new secret signs from now on; the current one becomes the previous and keeps signing until the overlap
   * ends, so receivers can switch without losing a callback. Rotating again within an overlap retires the
   * older previous secret at once.
   */
  async rotate(accountId: string): Promise<WebhookSecretView> {
    // Compare-and-set on the current secret: of two concurrent rotations one wins, the other rotates again
    // on top of it, and neither hands out a secret that never signs.
    for (;;) {
      const current = await this.prisma.account.findUnique({
        where: { id: accountId },
        select: { webhookSecret: true },
      });
      if (!current) throw ApiError.notFound('Account');
      const expiresAt = this.overlapMs > 0 ? new Date(Date.now() + this.overlapMs) : null;
      const data = {
        webhookSecret: newWebhookSecret(),
        previousWebhookSecret: expiresAt ? current.webhookSecret : null,
        previousSecretExpiresAt: expiresAt,
      };
      const { count } = await this.prisma.account.updateMany({
        where: { id: accountId, webhookSecret: current.webhookSecret },
        data,
      });
      if (count === 1) return this.view(data);
    }
  }

  private view(account: {
    webhookSecret: string;
    previousWebhookSecret: string | null;
    previousSecretExpiresAt: Date | null;
  }): WebhookSecretView {
    const active =
      account.previousWebhookSecret &&
      account.previousSecretExpiresAt &&
      account.previousSecretExpiresAt.getTime() > Date.now();
    return {
      secret: account.webhookSecret,
      previousSecret: active ? account.previousWebhookSecret : null,
      previousSecretExpiresAt: active ? (account.previousSecretExpiresAt as Date).toISOString() : null,
    };
  }
}
