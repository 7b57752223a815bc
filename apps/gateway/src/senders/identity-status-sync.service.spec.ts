import type { PrismaService, SenderIdentity } from '@postline/database';
import { type SesIdentities, SesIdentityError, type SesIdentityState } from '@postline/ses';
import type { AccountPolicyService } from './account-policy.service';
import { IdentityStatusSync, RECHECK_VERIFIED_MS } from './identity-status-sync.service';

const NOW = new Date('2026-11-26T12:00:00Z');
const TOKENS = ['t1', 't2', 't3'];

function row(over: Partial<SenderIdentity>): SenderIdentity {
  return {
    id: over.identity ?? 'id',
    accountId: 'acct-1',
    kind: 'DOMAIN',
    identity: 'elipackage.test',
    status: 'PENDING',
    statusReason: null,
    dkimTokens: TOKENS,
    dkimSigningZone: 'dkim.amazonses.com',
    mailFromDomain: 'mail.elipackage.test',
    mailFromStatus: 'PENDING',
    lastCheckedAt: null,
    verifiedAt: null,
    createdAt: new Date('2026-11-25T00:00:00Z'),
    updatedAt: new Date('2026-11-25T00:00:00Z'),
    ...over,
  };
}

const ses = (
  status: SesIdentityState['verificationStatus'],
  over: Partial<SesIdentityState> = {},
): SesIdentityState => ({
  verificationStatus: status,
  verifiedForSending: status === 'SUCCESS',
  dkimTokens: TOKENS,
  dkimSigningZone: 'dkim.amazonses.com',
  mailFromDomain: 'mail.elipackage.test',
  mailFromStatus: 'SUCCESS',
  ...over,
});

describe(IdentityStatusSync.name, () => {
  let rows: SenderIdentity[];
  let answers: Map<string, SesIdentityState | null | Error>;
  let sesCalls: string[];
  let forgotten: string[];
  let findManyArgs: unknown;
  let sut: IdentityStatusSync;

  beforeEach(() => {
    rows = [];
    answers = new Map();
    sesCalls = [];
    forgotten = [];
    const prisma = {
      senderIdentity: {
        findMany: async (args: unknown) => {
          findManyArgs = args;
          return rows.map((r) => ({ ...r }));
        },
        updateMany: async ({ where, data }: { where: { id: string }; data: Partial<SenderIdentity> }) => {
          const target = rows.find((r) => r.id === where.id);
          if (target) Object.assign(target, data);
          return { count: target ? 1 : 0 };
        },
        findUniqueOrThrow: async ({ where }: { where: { id: string } }) => ({
          ...rows.find((r) => r.id === where.id)!,
        }),
      },
    } as unknown as PrismaService;
    const sesIdentities = {
      get: async (identity: string) => {
        sesCalls.push(identity);
        const answer = answers.get(identity);
        if (answer instanceof Error) throw answer;
        return answer ?? null;
      },
    } as unknown as SesIdentities;
    const policies = { forget: (accountId: string) => forgotten.push(accountId) } as unknown as AccountPolicyService;
    sut = new IdentityStatusSync(prisma, sesIdentities, policies);
  });

  it('reads pending and temporarily failed identities, and verified ones SES checked over a day ago', async () => {
    await sut.syncDue(NOW);
    expect(findManyArgs).toMatchObject({
      where: {
        OR: [
          { status: { in: ['PENDING', 'TEMPORARY_FAILURE'] } },
          { status: 'VERIFIED', lastCheckedAt: { lt: new Date(NOW.getTime() - RECHECK_VERIFIED_MS) } },
        ],
      },
      orderBy: { lastCheckedAt: { sort: 'asc', nulls: 'first' } },
    });
  });

  it.each([
    ['PENDING', 'SUCCESS', 'VERIFIED'],
    ['PENDING', 'PENDING', 'PENDING'],
    ['PENDING', 'FAILED', 'FAILED'],
    ['PENDING', 'NOT_STARTED', 'NOT_STARTED'],
    ['PENDING', 'TEMPORARY_FAILURE', 'TEMPORARY_FAILURE'],
    ['TEMPORARY_FAILURE', 'SUCCESS', 'VERIFIED'],
    ['VERIFIED', 'FAILED', 'FAILED'],
  ] as const)('moves %s to what SES says (%s): %s', async (from, sesStatus, expected) => {
    rows = [row({ status: from, lastCheckedAt: from === 'VERIFIED' ? new Date(0) : null })];
    answers.set('elipackage.test', ses(sesStatus, sesStatus === 'FAILED' ? { errorType: 'TYPE_NOT_FOUND' } : {}));
    const outcome = await sut.syncDue(NOW);
    expect(rows[0]).toMatchObject({ status: expected, lastCheckedAt: NOW, mailFromStatus: 'SUCCESS' });
    expect(outcome).toEqual({ checked: 1, changed: from === expected ? 0 : 1, failed: 0 });
    expect(forgotten).toEqual(from === expected ? [] : ['acct-1']);
    if (expected === 'VERIFIED') expect(rows[0].verifiedAt).toEqual(NOW);
    if (expected === 'FAILED') expect(rows[0].statusReason).toContain('TYPE_NOT_FOUND');
  });

  it('keeps a verified domain verified through a temporary failure SES still sends through', async () => {
    const verifiedAt = new Date('2026-11-01T00:00:00Z');
    rows = [row({ status: 'VERIFIED', verifiedAt, lastCheckedAt: new Date(0) })];
    answers.set(
      'elipackage.test',
      ses('TEMPORARY_FAILURE', { verifiedForSending: true, errorType: 'DNS_SERVER_ERROR' }),
    );
    await sut.syncDue(NOW);
    expect(rows[0]).toMatchObject({
      status: 'VERIFIED',
      verifiedAt,
      statusReason: expect.stringContaining('TEMPORARY_FAILURE'),
    });
    expect(forgotten).toEqual([]);
  });

  it('fails an identity SES no longer knows', async () => {
    rows = [row({ kind: 'EMAIL_ADDRESS', identity: 'promo@elipackage.test', mailFromDomain: null })];
    answers.set('promo@elipackage.test', null);
    await sut.syncDue(NOW);
    expect(rows[0]).toMatchObject({
      status: 'FAILED',
      statusReason: expect.stringContaining('does not know'),
      mailFromStatus: null,
    });
  });

  it('asks SES once for an identity several accounts share, and updates each', async () => {
    rows = [row({ id: 'a', accountId: 'acct-1' }), row({ id: 'b', accountId: 'acct-2' })];
    answers.set('elipackage.test', ses('SUCCESS'));
    const outcome = await sut.syncDue(NOW);
    expect(sesCalls).toEqual(['elipackage.test']);
    expect(rows.map((r) => r.status)).toEqual(['VERIFIED', 'VERIFIED']);
    expect(forgotten.sort()).toEqual(['acct-1', 'acct-2']);
    expect(outcome).toEqual({ checked: 2, changed: 2, failed: 0 });
  });

  it('leaves an identity as it is when SES cannot answer, and carries on with the others', async () => {
    rows = [row({ id: 'a', identity: 'a.test' }), row({ id: 'b', identity: 'b.test' })];
    answers.set('a.test', new SesIdentityError('unavailable', 'SES GetEmailIdentity failed: timeout'));
    answers.set('b.test', ses('SUCCESS'));
    const outcome = await sut.syncDue(NOW);
    expect(rows.map((r) => [r.status, r.lastCheckedAt])).toEqual([
      ['PENDING', null],
      ['VERIFIED', NOW],
    ]);
    expect(outcome).toEqual({ checked: 1, changed: 1, failed: 1 });
  });

  it('stops the run when SES throttles it', async () => {
    rows = ['a', 'b', 'c', 'd', 'e'].map((id) => row({ id, identity: `${id}.test` }));
    for (const r of rows) answers.set(r.identity, new SesIdentityError('throttled', 'TooManyRequestsException'));
    const outcome = await sut.syncDue(NOW);
    // Two calls in flight when the first throttle lands; nothing after.
    expect(sesCalls.length).toBeLessThanOrEqual(2);
    expect(outcome.checked).toBe(0);
  });

  it('refreshes one identity on demand and returns it as stored', async () => {
    rows = [row({})];
    answers.set('elipackage.test', ses('SUCCESS'));
    await expect(sut.refresh(rows[0], NOW)).resolves.toMatchObject({ status: 'VERIFIED', lastCheckedAt: NOW });
  });
});
