import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '@postline/database';
import { ApiError } from '@postline/http';
import { type ReputationState } from '@postline/contracts';
import { generateApiKey } from '../auth/api-key-format';
import { decodeCursor, encodeCursor } from '../emails/cursor';
import type { AdminAccountListView } from './dto/admin-account-list.view';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Account onboarding by the support team. */
@Injectable()
export class AccountsService {
  constructor(private readonly prisma: PrismaService) {}

  async create(name: string, operatorName = 'owner') {
    const accountId = randomUUID();
    const operatorId = randomUUID();
    const key = generateApiKey();
    const exists = await this.prisma.account.findUnique({ where: { name }, select: { id: true } });
    if (exists) throw ApiError.validation([{ field: 'name', message: `an account named "${name}" already exists` }]);
    await this.prisma.$transaction([
      this.prisma.account.create({ data: { id: accountId, name, webhookSecret: newWebhookSecret() } }),
      this.prisma.operator.create({ data: { id: operatorId, accountId, name: operatorName } }),
      this.prisma.apiKey.create({
        data: { id: randomUUID(), accountId, operatorId, prefix: key.prefix, hash: key.hash },
      }),
    ]);
    return {
      account: await this.view(accountId),
      operator: { id: operatorId, name: operatorName },
      apiKey: { key: key.key, prefix: key.prefix, note: 'Shown once: store it now. Only its hash is kept.' },
    };
  }

  /** One page of accounts, newest first; `state` (comma-separated) narrows it to the review queue. */
  async list(query: { state?: string; name?: string; cursor?: string; limit: number }): Promise<AdminAccountListView> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.prisma.account.findMany({
      where: {
        ...(query.state ? { reputationState: { in: query.state.split(',') as ReputationState[] } } : {}),
        ...(query.name ? { name: { startsWith: query.name } } : {}),
        ...(after
          ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      select: { id: true, name: true, reputationState: true, reputationReason: true, blockedAt: true, createdAt: true },
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((a) => ({
        ...a,
        blockedAt: a.blockedAt?.toISOString() ?? null,
        createdAt: a.createdAt.toISOString(),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  async view(accountId: string) {
    const account = await this.prisma.account.findUnique({
      where: { id: accountId },
      include: {
        operators: { select: { id: true, name: true, createdAt: true } },
        apiKeys: {
          select: {
            id: true,
            prefix: true,
            name: true,
            operatorId: true,
            createdAt: true,
            expiresAt: true,
            revokedAt: true,
          },
        },
        senders: { select: { id: true, kind: true, identity: true, status: true, createdAt: true } },
      },
    });
    if (!account) throw ApiError.notFound('Account');
    return {
      id: account.id,
      name: account.name,
      reputationState: account.reputationState,
      reputationReason: account.reputationReason,
      settings: account.settings,
      rateLimitPerKey: account.rateLimitPerKey,
      rateLimitPerAccount: account.rateLimitPerAccount,
      notificationUrl: account.notificationUrl,
      createdAt: account.createdAt.toISOString(),
      operators: account.operators,
      apiKeys: account.apiKeys,
      senders: account.senders,
    };
  }

  async requireAccount(accountId: string): Promise<void> {
    const found = await this.prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
    if (!found) throw ApiError.notFound('Account');
  }
}
