import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '@postline/database';
import { ApiError, ErrorCode } from '@postline/http';
import { generateApiKey } from '../auth/api-key-format';
import { KeyChanges } from '../auth/key-changes.service';
import { ApiKeyStatus, type ApiKeyView } from './dto/api-key.view';
import type { NewApiKeyView } from './dto/new-api-key.view';

const KEY_FIELDS = {
  id: true,
  prefix: true,
  name: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  operator: { select: { name: true } },
} satisfies Prisma.ApiKeySelect;

type KeyRow = Prisma.ApiKeyGetPayload<{ select: typeof KEY_FIELDS }>;

const SHOWN_ONCE = 'Shown once: store it now. Only its hash is kept.';

export interface NewKey {
  name: string;
  operator: string;
  expiresAt?: string;
}

function statusOf(row: { revokedAt: Date | null; expiresAt: Date | null }, now = Date.now()): ApiKeyStatus {
  if (row.revokedAt) return ApiKeyStatus.Revoked;
  if (row.expiresAt && row.expiresAt.getTime() <= now) return ApiKeyStatus.Expired;
  return ApiKeyStatus.Active;
}

function futureDate(iso: string | undefined): Date | null {
  if (iso === undefined) return null;
  const date = new Date(iso);
  if (date.getTime() <= Date.now())
    throw ApiError.validation([{ field: 'expiresAt', message: 'expiresAt must be in the future' }]);
  return date;
}

/**
 * The lifecycle of an account's API keys (ACTIVE → EXPIRED at `expiresAt`, or → REVOKED), for the tenant
 * API and the admin API alike. Every change is announced to all gateway replicas (KeyChanges) after commit.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: KeyChanges,
  ) {}

  async list(accountId: string): Promise<ApiKeyView[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: { accountId },
      select: KEY_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map((row) => this.view(row));
  }

  async create(accountId: string, key: NewKey): Promise<NewApiKeyView> {
    const expiresAt = futureDate(key.expiresAt);
    return this.prisma.$transaction((tx) => this.insert(tx, accountId, key.name, key.operator, expiresAt));
  }

  /**
   * Revokes a key (idempotent). Refused with 409 when it is the account's last usable key, unless `force`:
   * the account would be locked out of the API until an operator makes it a new key.
   */
  async revoke(accountId: string, keyId: string, force = false): Promise<ApiKeyView> {
    const view = await this.prisma.$transaction(async (tx) => {
      const row = await this.lockKey(tx, accountId, keyId);
      if (row.revokedAt) return this.view(row);
      if (!force && statusOf(row) === ApiKeyStatus.Active && (await this.otherUsableKeys(tx, accountId, keyId)) === 0) {
        throw new ApiError(
          HttpStatus.CONFLICT,
          ErrorCode.Conflict,
          'This is the account’s last usable API key: revoking it would leave no way to call the API. ' +
            'Create another key first, or send {"force": true} to revoke it anyway.',
        );
      }
      return this.view(
        await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() }, select: KEY_FIELDS }),
      );
    });
    await this.changes.announce({ kind: 'key', id: keyId });
    return view;
  }

  /** A new secret for the key's name and operator; the old key is revoked in the same transaction. */
  async regenerate(accountId: string, keyId: string, expiresAtIso?: string): Promise<NewApiKeyView> {
    const requested = futureDate(expiresAtIso);
    const created = await this.prisma.$transaction(async (tx) => {
      const row = await this.lockKey(tx, accountId, keyId);
      if (row.revokedAt)
        throw new ApiError(
          HttpStatus.CONFLICT,
          ErrorCode.Conflict,
          'A revoked key cannot be regenerated; create a new one',
        );
      const kept = row.expiresAt && row.expiresAt.getTime() > Date.now() ? row.expiresAt : null;
      await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: new Date() } });
      return this.insert(tx, accountId, row.name, row.operator.name, requested ?? kept);
    });
    await this.changes.announce({ kind: 'key', id: keyId });
    return created;
  }

  /** The key, locked with its account row so that concurrent revocations are decided one after the other. */
  private async lockKey(tx: Prisma.TransactionClient, accountId: string, keyId: string): Promise<KeyRow> {
    await tx.$queryRaw`SELECT 1 FROM "Account" WHERE "id" = ${accountId}::uuid FOR UPDATE`;
    const row = await tx.apiKey.findFirst({ where: { id: keyId, accountId }, select: KEY_FIELDS });
    if (!row) throw ApiError.notFound('API key');
    return row;
  }

  private otherUsableKeys(tx: Prisma.TransactionClient, accountId: string, keyId: string): Promise<number> {
    return tx.apiKey.count({
      where: {
        accountId,
        id: { not: keyId },
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
      },
    });
  }

  private async insert(
    tx: Prisma.TransactionClient,
    accountId: string,
    name: string,
    operatorName: string,
    expiresAt: Date | null,
  ): Promise<NewApiKeyView> {
    const operator = await tx.operator.upsert({
      where: { accountId_name: { accountId, name: operatorName } },
      create: { id: randomUUID(), accountId, name: operatorName },
      update: {},
      select: { id: true },
    });
    const key = generateApiKey();
    const row = await tx.apiKey.create({
      data: {
        id: randomUUID(),
        accountId,
        operatorId: operator.id,
        name,
        prefix: key.prefix,
        hash: key.hash,
        expiresAt,
      },
      select: KEY_FIELDS,
    });
    return { key: key.key, apiKey: this.view(row), note: SHOWN_ONCE };
  }

  view(row: KeyRow): ApiKeyView {
    return {
      id: row.id,
      prefix: row.prefix,
      name: row.name,
      operator: row.operator.name,
      status: statusOf(row),
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }
}
