import { Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '@postline/database';
import { hashApiKey } from './api-key-format';
import type { Caller } from './caller';
import { type KeyChange, KeyChanges } from './key-changes.service';

/** A key that is known, with why it does not work (if it does not). */
export type KeyResolution = { ok: true; caller: Caller } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

interface Entry {
  caller: Caller | null;
  revoked: boolean;
  expiresAt: number | null;
  loadedAt: number;
}

/** While key changes are announced through Redis the cache only guards against changes made outside the API. */
const TTL_MS = 30_000;
/** While they are not (Redis down), a revoked key must still stop working quickly. */
const TTL_WITHOUT_ANNOUNCEMENTS_MS = 1_000;
const MAX_ENTRIES = 10_000;
/** lastUsedAt is written at most this often per key and process: never a write per request. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Resolves API keys to callers, with a per-process cache because every request needs one. Revocations and
 * account changes are announced to every replica (KeyChanges) and evict the entry at once; expiry is checked
 * on every request from the cached expiry, so it needs no announcement.
 */
@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly cache = new Map<string, Entry>();
  private readonly lastUsedWritten = new Map<string, number>();
  /** Bumped by every announcement: a load that overlapped one may have read the old row and is not cached. */
  private generation = 0;

  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: KeyChanges,
  ) {
    changes.listen({
      changed: (change) => this.forget(change),
      reset: () => {
        this.generation++;
        this.cache.clear();
      },
    });
  }

  async resolve(key: string): Promise<KeyResolution> {
    const hash = hashApiKey(key);
    const now = Date.now();
    let entry = this.cache.get(hash);
    // The TTL is decided when reading: an entry loaded while announcements arrived turns short once they stop.
    const ttl = this.changes.live ? TTL_MS : TTL_WITHOUT_ANNOUNCEMENTS_MS;
    if (!entry || entry.loadedAt + ttl <= now) {
      const generation = this.generation;
      entry = await this.load(hash);
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      if (generation === this.generation) this.cache.set(hash, entry);
    }
    if (!entry.caller) return { ok: false, reason: 'unknown' };
    if (entry.revoked) return { ok: false, reason: 'revoked' };
    if (entry.expiresAt !== null && entry.expiresAt <= now) return { ok: false, reason: 'expired' };
    this.noteUse(entry.caller.apiKeyId, now);
    return { ok: true, caller: entry.caller };
  }

  private async load(hash: string): Promise<Entry> {
    const loadedAt = Date.now();
    const row = await this.prisma.apiKey.findUnique({
      where: { hash },
      select: {
        id: true,
        revokedAt: true,
        expiresAt: true,
        account: { select: { id: true, name: true, rateLimitPerKey: true, rateLimitPerAccount: true } },
        operator: { select: { id: true, name: true } },
      },
    });
    if (!row) return { caller: null, revoked: false, expiresAt: null, loadedAt };
    return {
      caller: {
        accountId: row.account.id,
        accountName: row.account.name,
        operatorId: row.operator.id,
        operatorName: row.operator.name,
        apiKeyId: row.id,
        rateLimitPerKey: row.account.rateLimitPerKey,
        rateLimitPerAccount: row.account.rateLimitPerAccount,
      },
      revoked: row.revokedAt !== null,
      expiresAt: row.expiresAt?.getTime() ?? null,
      loadedAt,
    };
  }

  private forget(change: KeyChange): void {
    this.generation++;
    for (const [hash, entry] of this.cache) {
      const id = change.kind === 'key' ? entry.caller?.apiKeyId : entry.caller?.accountId;
      if (id === change.id) this.cache.delete(hash);
    }
  }

  private noteUse(apiKeyId: string, now: number): void {
    if ((this.lastUsedWritten.get(apiKeyId) ?? 0) > now - LAST_USED_EVERY_MS) return;
    if (this.lastUsedWritten.size >= MAX_ENTRIES) this.lastUsedWritten.clear();
    this.lastUsedWritten.set(apiKeyId, now);
    this.prisma.apiKey
      .update({ where: { id: apiKeyId }, data: { lastUsedAt: new Date(now) } })
      .catch((error: Error) => this.logger.warn(`could not record the last use of key ${apiKeyId}: ${error.message}`));
  }
}
