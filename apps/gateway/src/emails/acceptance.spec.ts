import { type Mailbox, parseMailbox, ROLE_LOCAL_PARTS } from '@postline/contracts';
import type { AccountPolicy } from '../senders/account-policy.service';
import { decideAcceptance } from './acceptance';

const mailbox = (address: string) => parseMailbox(address) as Mailbox;

describe(decideAcceptance.name, () => {
  const policy = (over: Partial<AccountPolicy> = {}): AccountPolicy => ({
    blocked: false,
    blockReason: null,
    verifiedIdentities: new Set(['elipackage.test', 'ceo@other.test']),
    allowRoleAddresses: false,
    ...over,
  });
  const from = mailbox('promo@elipackage.test');
  const to = mailbox('jane@example.com');

  it('queues an email from a verified domain to an ordinary recipient', () => {
    expect(decideAcceptance(policy(), from, to)).toEqual({ status: 'QUEUED', statusReason: null });
    expect(decideAcceptance(policy(), mailbox('CEO@Other.test'), to).status).toBe('QUEUED');
  });

  it('refuses a from outside the verified identities as BAD_FROM, subdomains included', () => {
    expect(decideAcceptance(policy(), mailbox('promo@mail.elipackage.test'), to)).toEqual({
      status: 'BAD_FROM',
      statusReason: 'promo@mail.elipackage.test is not a verified sender identity of this account',
    });
    expect(decideAcceptance(policy(), mailbox('cfo@other.test'), to).status).toBe('BAD_FROM');
  });

  it.each([...ROLE_LOCAL_PARTS])('refuses the role recipient %s@ as BAD_TO unless the account allows it', (local) => {
    const role = mailbox(`${local}@example.com`);
    expect(decideAcceptance(policy(), from, role)).toMatchObject({
      status: 'BAD_TO',
      statusReason: expect.stringContaining('reserved role address'),
    });
    expect(decideAcceptance(policy({ allowRoleAddresses: true }), from, role).status).toBe('QUEUED');
  });

  it('recognises role recipients whatever their case or +tag', () => {
    expect(decideAcceptance(policy(), from, mailbox('PostMaster+alerts@example.com')).status).toBe('BAD_TO');
    expect(decideAcceptance(policy(), from, mailbox('postmasters@example.com')).status).toBe('QUEUED');
  });

  it('refuses a recipient whose domain cannot receive mail as BAD_TO, with the reason', () => {
    expect(
      decideAcceptance(policy(), from, mailbox('jane@nowhere.test'), 'the domain nowhere.test does not exist'),
    ).toEqual({
      status: 'BAD_TO',
      statusReason: 'jane@nowhere.test: the domain nowhere.test does not exist',
    });
  });

  it('applies the checks in order: blocked, then BAD_FROM, then role, then the recipient domain', () => {
    const bad = mailbox('abuse@nowhere.test');
    const stranger = mailbox('x@stranger.test');
    expect(
      decideAcceptance(policy({ blocked: true, blockReason: 'bounce rate 6 %' }), stranger, bad, 'no mail host'),
    ).toEqual({
      status: 'BLOCKED_DUE_BAD_BEHAVIOUR',
      statusReason: 'account is blocked: bounce rate 6 %',
    });
    expect(decideAcceptance(policy(), stranger, bad, 'no mail host').status).toBe('BAD_FROM');
    expect(decideAcceptance(policy(), from, bad, 'no mail host').statusReason).toContain('reserved role address');
    expect(decideAcceptance(policy({ allowRoleAddresses: true }), from, bad, 'no mail host').statusReason).toContain(
      'no mail host',
    );
  });
});
