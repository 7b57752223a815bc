import { domainToASCII } from 'node:url';

/** Characters that must never reach a mail header (header injection). */
// eslint-disable-next-line no-control-regex
export const HEADER_BREAKERS = /[\r\n\u0000]/;
/**
 * RFC 2047 encoded-word syntax (`=?charset?B|Q?text?=`), taken broadly: `=?` followed anywhere by `?=`. Mail
 * clients decode encoded words in Subject and display names, leniently (mailparser decodes one with a space
 * inside), so text sent verbatim would read otherwise than sent: `=?UTF-8?B?eA0KQmNjOiB4QGV2aWwudGVzdA==?=`
 * reads as a line break and a Bcc header.
 */
export const ENCODED_WORD = /=\?[\s\S]*\?=/;

// RFC 5322 dot-atom local part, ASCII only (no SMTPUTF8).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export interface Mailbox {
  /** `local@ascii-domain`, domain lower-cased and in Punycode. */
  address: string;
  local: string;
  domain: string;
}

/**
 * Parses one address under RFC 5321 limits: local part ≤ 64 octets and ASCII, domain ≤ 255 octets with
 * LDH labels ≤ 63 (an internationalised domain is converted to Punycode), whole path ≤ 254.
 * Returns the normalised mailbox, or the rule it breaks.
 */
export function parseMailbox(input: string): Mailbox | { error: string } {
  if (HEADER_BREAKERS.test(input)) return { error: 'must not contain CR, LF or NUL characters' };
  const at = input.lastIndexOf('@');
  if (at <= 0 || at === input.length - 1) return { error: 'must be an email address like name@example.com' };
  const local = input.slice(0, at);
  const rawDomain = input.slice(at + 1);
  if (local.length > 64) return { error: 'local part must be at most 64 characters (RFC 5321)' };
  if (!LOCAL_PART.test(local))
    return {
      error: "local part must be ASCII letters, digits and !#$%&'*+/=?^_`{|}~.- (no leading, trailing or double dot)",
    };
  const domain = /^[\x21-\x7e]+$/.test(rawDomain) ? rawDomain.toLowerCase() : domainToASCII(rawDomain);
  if (!domain) return { error: 'domain is not a valid domain name' };
  if (domain.length > 255) return { error: 'domain must be at most 255 characters (RFC 5321)' };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return { error: 'domain is not a valid domain name' };
  const address = `${local}@${domain}`;
  if (address.length > 254) return { error: 'address must be at most 254 characters (RFC 5321)' };
  return { address, local, domain };
}

/**
 * Role mailboxes that reach administrators, not people: refused as BAD_TO by default (an account setting
 * allows them). RFC 2142 plus common system aliases.
 */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'abuse',
  'admin',
  'administrator',
  'hostmaster',
  'info-request',
  'mailer-daemon',
  'noc',
  'postmaster',
  'root',
  'security',
  'usenet',
  'news',
  'uucp',
  'webmaster',
  'www',
  'ftp',
]);

/** Role address check on the local part, ignoring case and a `+tag`. */
export function isRoleAddress(local: string): boolean {
  return ROLE_LOCAL_PARTS.has(local.toLowerCase().split('+')[0]);
}

/** No-reply senders are allowed but discouraged (recipients cannot answer, and filters dislike them). */
export function isNoReplyAddress(local: string): boolean {
  return /^(no-?reply|do-?not-?reply|donotreply)\b/i.test(local);
}

/**
 * Whether a `from` address may send for an account whose verified identities (lower-cased addresses and
 * domains) are given: the address itself is verified, or its exact domain is. A verified parent domain does
 * not cover its subdomains (SES verifies each domain on its own). Case is ignored, as the identities are
 * stored lower-cased. Shared by acceptance (gateway) and the re-check at sending time (sender).
 */
export function isVerifiedSender(verifiedIdentities: ReadonlySet<string>, fromAddress: string): boolean {
  const address = fromAddress.toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  return verifiedIdentities.has(address) || verifiedIdentities.has(address.slice(at + 1));
}
