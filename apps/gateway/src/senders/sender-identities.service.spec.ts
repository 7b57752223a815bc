import type { ConfigService } from '@nestjs/config';
import type { PrismaService, SenderIdentity } from '@postline/database';
import { ApiError } from '@postline/http';
import { type SesIdentities, SesIdentityError, type SesIdentityState } from '@postline/ses';
import type { Env } from '../env';
import type { AccountPolicyService } from './account-policy.service';
import { resolveIdentityMode } from './identity-mode';
import type { IdentityStatusSync } from './identity-status-sync.service';
import { SenderIdentitiesService } from './sender-identities.service';

const TOKENS = ['t1', 't2', 't3'];

/** The few Prisma calls the service makes, over an array. */
function fakePrisma(rows: SenderIdentity[]): PrismaService {
  const match = (r: SenderIdentity, where: Record<string, unknown>) =>
    Object.entries(where).every(([k, v]) =>
      k === 'accountId_identity'
        ? r.accountId === (v as SenderIdentity).accountId && r.identity === (v as SenderIdentity).identity
        : typeof v === 'object' && v !== null && 'not' in v
          ? r[k as keyof SenderIdentity] !== v.not
          : r[k as keyof SenderIdentity] === v,
    );
  const defaults: Omit<SenderIdentity, 'id' | 'accountId' | 'kind' | 'identity'> = {
    status: 'PENDING',
    statusReason: null,
    dkimTokens: [],
    dkimSigningZone: null,
    mailFromDomain: null,
    mailFromStatus: null,
    lastCheckedAt: null,
    verifiedAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
  const stamp = (data: Partial<SenderIdentity>): SenderIdentity => ({ ...defaults, ...data }) as SenderIdentity;
  return {
    senderIdentity: {
      findUnique: async ({ where }: { where: Record<string, unknown> }) => rows.find((r) => match(r, where)) ?? null,
      findFirst: async ({ where }: { where: Record<string, unknown> }) => rows.find((r) => match(r, where)) ?? null,
      findMany: async ({ where }: { where: Record<string, unknown> }) => rows.filter((r) => match(r, where)),
      count: async ({ where }: { where: Record<string, unknown> }) => rows.filter((r) => match(r, where)).length,
      upsert: async ({
        where,
        create,
        update,
      }: {
        where: Record<string, unknown>;
        create: Partial<SenderIdentity>;
        update: Partial<SenderIdentity>;
      }) => {
        const found = rows.find((r) => match(r, where));
        if (found) return Object.assign(found, update);
        const created = stamp(create);
        rows.push(created);
        return created;
      },
      update: async ({ where, data }: { where: { id: string }; data: Partial<SenderIdentity> }) =>
        Object.assign(
          rows.find((r) => r.id === where.id)!,
          data,
        ),
      deleteMany: async ({ where }: { where: Record<string, unknown> }) => {
        const before = rows.length;
        rows.splice(0, rows.length, ...rows.filter((r) => !match(r, where)));
        return { count: before - rows.length };
      },
    },
  } as unknown as PrismaService;
}

function config(values: Partial<Record<keyof Env, unknown>>): ConfigService<Env, true> {
  const all: Partial<Record<keyof Env, unknown>> = {
    SES_REGION: 'eu-west-1',
    SES_MAIL_FROM_SUBDOMAIN: 'mail',
    ...values,
  };
  return { get: (key: keyof Env) => all[key] } as unknown as ConfigService<Env, true>;
}

describe(SenderIdentitiesService.name, () => {
  let rows: SenderIdentity[];
  let calls: string[];
  let sesState: Map<string, SesIdentityState>;
  let failWith: SesIdentityError | undefined;
  let forgotten: string[];

  const build = (env: Partial<Record<keyof Env, unknown>> = {}) => {
    const ses = {
      create: async (identity: string) => {
        calls.push(`create ${identity}`);
        if (failWith) throw failWith;
        const state = sesState.get(identity) ?? {
          verifiedForSending: false,
          dkimTokens: identity.includes('@') ? [] : TOKENS,
          dkimSigningZone: 'dkim.amazonses.com',
        };
        sesState.set(identity, state);
        return state;
      },
      get: async (identity: string) => {
        calls.push(`get ${identity}`);
        if (failWith) throw failWith;
        return sesState.get(identity) ?? null;
      },
      setMailFrom: async (identity: string, domain: string) => void calls.push(`mail-from ${identity} ${domain}`),
      delete: async (identity: string) => {
        calls.push(`delete ${identity}`);
        if (failWith) throw failWith;
        return sesState.delete(identity);
      },
    } as unknown as SesIdentities;
    const sync = {
      refresh: async (row: SenderIdentity) => ({ ...row, status: 'VERIFIED' }),
    } as unknown as IdentityStatusSync;
    const policies = { forget: (id: string) => forgotten.push(id) } as unknown as AccountPolicyService;
    return new SenderIdentitiesService(fakePrisma(rows), policies, ses, sync, config(env));
  };

  beforeEach(() => {
    rows = [];
    calls = [];
    sesState = new Map();
    failWith = undefined;
    forgotten = [];
  });

  describe('in SES mode', () => {
    it('creates a domain with SES, sets its MAIL FROM, and stores it PENDING with the DKIM tokens', async () => {
      const sut = build();
      const sender = await sut.add('acct-1', 'EliPackage.test');
      expect(calls).toEqual(['create elipackage.test', 'mail-from elipackage.test mail.elipackage.test']);
      expect(sender).toMatchObject({
        kind: 'DOMAIN',
        identity: 'elipackage.test',
        status: 'PENDING',
        dkimTokens: TOKENS,
        mailFromDomain: 'mail.elipackage.test',
        mailFromStatus: 'PENDING',
        verifiedAt: null,
      });
      expect(forgotten).toEqual(['acct-1']);
      expect(sut.view(sender).dnsRecords.map((r) => r.purpose)).toEqual([
        'DKIM',
        'DKIM',
        'DKIM',
        'MAIL_FROM_MX',
        'MAIL_FROM_SPF',
        'DMARC',
      ]);
    });

    it('creates an address (SES sends the confirmation email) without MAIL FROM or DNS records', async () => {
      const sut = build();
      const sender = await sut.add('acct-1', 'Promo@EliPackage.test');
      expect(calls).toEqual(['create promo@elipackage.test']);
      expect(sender).toMatchObject({
        kind: 'EMAIL_ADDRESS',
        identity: 'promo@elipackage.test',
        status: 'PENDING',
        mailFromDomain: null,
      });
      expect(sut.view(sender).dnsRecords).toEqual([]);
    });

    it('leaves MAIL FROM alone when no subdomain is configured', async () => {
      const sut = build({ SES_MAIL_FROM_SUBDOMAIN: '' });
      await sut.add('acct-1', 'elipackage.test');
      expect(calls).toEqual(['create elipackage.test']);
    });

    it('stores an identity SES already verified (shared with another account) as VERIFIED', async () => {
      sesState.set('elipackage.test', {
        verificationStatus: 'SUCCESS',
        verifiedForSending: true,
        dkimTokens: TOKENS,
        mailFromDomain: 'mail.elipackage.test',
        mailFromStatus: 'SUCCESS',
      });
      const sender = await build().add('acct-2', 'elipackage.test');
      expect(sender).toMatchObject({ status: 'VERIFIED', mailFromStatus: 'SUCCESS', verifiedAt: expect.any(Date) });
      expect(calls).toEqual(['create elipackage.test']);
    });

    it('returns an identity being verified as it is, without asking SES again', async () => {
      const sut = build();
      const first = await sut.add('acct-1', 'elipackage.test');
      calls = [];
      await expect(sut.add('acct-1', 'elipackage.test')).resolves.toBe(first);
      expect(calls).toEqual([]);
    });

    it('starts a failed verification again: the dead SES identity is deleted and created anew', async () => {
      const sut = build();
      await sut.add('acct-1', 'promo@elipackage.test');
      rows[0].status = 'FAILED';
      sesState.set('promo@elipackage.test', {
        verificationStatus: 'FAILED',
        verifiedForSending: false,
        dkimTokens: [],
      });
      calls = [];
      const again = await sut.add('acct-1', 'promo@elipackage.test');
      expect(calls).toEqual([
        'get promo@elipackage.test',
        'delete promo@elipackage.test',
        'create promo@elipackage.test',
      ]);
      expect(again.status).toBe('PENDING');
    });

    it('does not restart a verification SES meanwhile completed', async () => {
      const sut = build();
      await sut.add('acct-1', 'promo@elipackage.test');
      rows[0].status = 'FAILED';
      sesState.set('promo@elipackage.test', {
        verificationStatus: 'SUCCESS',
        verifiedForSending: true,
        dkimTokens: [],
      });
      calls = [];
      expect((await sut.add('acct-1', 'promo@elipackage.test')).status).toBe('VERIFIED');
      expect(calls).toEqual(['get promo@elipackage.test']);
    });

    it('stores nothing when SES fails, and answers with the matching HTTP error', async () => {
      failWith = new SesIdentityError('unavailable', 'SES CreateEmailIdentity failed: timeout');
      const error = await build()
        .add('acct-1', 'elipackage.test')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).getStatus()).toBe(503);
      expect(rows).toEqual([]);
    });

    it('deletes the SES identity with the last account using it', async () => {
      const sut = build();
      const a = await sut.add('acct-1', 'elipackage.test');
      const b = await sut.add('acct-2', 'elipackage.test');
      calls = [];
      await expect(sut.remove('acct-1', a.id)).resolves.toMatchObject({ deleted: true, sesIdentityDeleted: false });
      expect(calls).toEqual([]);
      await expect(sut.remove('acct-2', b.id)).resolves.toMatchObject({ deleted: true, sesIdentityDeleted: true });
      expect(calls).toEqual(['delete elipackage.test']);
      expect(rows).toEqual([]);
    });

    it('keeps the identity when SES cannot delete it', async () => {
      const sut = build();
      const sender = await sut.add('acct-1', 'elipackage.test');
      failWith = new SesIdentityError('throttled', 'TooManyRequestsException');
      await expect(sut.remove('acct-1', sender.id)).rejects.toMatchObject({ status: 429 });
      expect(rows).toHaveLength(1);
    });

    it("does not show, refresh or remove another account's identity", async () => {
      const sut = build();
      const sender = await sut.add('acct-1', 'elipackage.test');
      await expect(sut.find('acct-2', sender.id)).rejects.toMatchObject({ status: 404 });
      await expect(sut.refresh('acct-2', sender.id)).rejects.toMatchObject({ status: 404 });
      await expect(sut.remove('acct-2', sender.id)).rejects.toMatchObject({ status: 404 });
      expect(rows).toHaveLength(1);
    });
  });

  describe('in auto-verify mode', () => {
    it('verifies at once without calling SES', async () => {
      const sut = build({ SES_ENDPOINT: 'http://127.0.0.1:8005' });
      expect(sut.mode).toBe('auto-verify');
      const sender = await sut.add('acct-1', 'elipackage.test');
      expect(sender).toMatchObject({
        status: 'VERIFIED',
        statusReason: expect.stringContaining('auto-verify'),
        verifiedAt: expect.any(Date),
      });
      await sut.remove('acct-1', sender.id);
      expect(calls).toEqual([]);
    });

    it('verifies a pending identity left from SES mode when refreshed', async () => {
      const pending = await build().add('acct-1', 'elipackage.test');
      expect(pending.status).toBe('PENDING');
      calls = [];
      const sut = build({ SES_IDENTITY_MODE: 'auto-verify' });
      await expect(sut.refresh('acct-1', pending.id)).resolves.toMatchObject({ status: 'VERIFIED' });
      expect(calls).toEqual([]);
    });
  });
});

describe(resolveIdentityMode.name, () => {
  it('auto-verifies only with the local emulator unless set explicitly', () => {
    expect(resolveIdentityMode({})).toBe('ses');
    expect(resolveIdentityMode({ SES_ENDPOINT: 'http://127.0.0.1:8005' })).toBe('auto-verify');
    expect(resolveIdentityMode({ SES_ENDPOINT: 'http://127.0.0.1:8005', SES_IDENTITY_MODE: 'ses' })).toBe('ses');
    expect(resolveIdentityMode({ SES_IDENTITY_MODE: 'auto-verify' })).toBe('auto-verify');
  });
});
