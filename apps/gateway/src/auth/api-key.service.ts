import { Injectable } from '@nestjs/common';
import { PrismaService } from '@postline/database';
import { hashApiKey } from './api-key-format';
import type { Caller } from './caller';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolves API keys to callers. Lookups are cached for 30 s per process (a revoked key stops working within
 * that time) because every request needs one and the answer almost never changes.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, { caller: Caller | null; expires: number }>();

  constructor(private readonly prisma: PrismaService) {}

  async resolve(key: string): Promise<Caller | null> {
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.expires > Date.now()) return cached.caller;

    const row = await this.prisma.apiKey.findUnique({
      where: { hash },
      select: {
        revokedAt: true,
        account: { select: { id: true, name: true } },
        operator: { select: { id: true, name: true } },
      },
    });
    const caller =
      row && !row.revokedAt
        ? {
            accountId: row.account.id,
            accountName: row.account.name,
            operatorId: row.operator.id,
            operatorName: row.operator.name,
          }
        : null;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { caller, expires: Date.now() + TTL_MS });
    return caller;
  }
}
