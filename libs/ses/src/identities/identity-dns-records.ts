/** Easy DKIM's signing zone when SES does not name one. */
export const DEFAULT_DKIM_SIGNING_ZONE = 'dkim.amazonses.com';

export type DnsRecordPurpose = 'DKIM' | 'MAIL_FROM_MX' | 'MAIL_FROM_SPF' | 'DMARC';

/** One record a customer publishes in the DNS of a sending domain. */
export interface DnsRecord {
  purpose: DnsRecordPurpose;
  type: 'CNAME' | 'MX' | 'TXT';
  /** Fully qualified record name. */
  name: string;
  /** Record data: a CNAME target, an MX exchange, or TXT text (without quotes). */
  value: string;
  /** MX preference. */
  priority?: number;
  /** False for a suggestion that verification does not depend on (DMARC). */
  required: boolean;
  note?: string;
}

export interface IdentityDnsInput {
  domain: string;
  dkimTokens: readonly string[];
  dkimSigningZone?: string | null;
  /** The custom MAIL FROM domain (`mail.<domain>`), when one is configured. */
  mailFromDomain?: string | null;
  /** SES region, which names the feedback MX host. */
  region: string;
}

/**
 * The records that verify and authenticate a sending domain with SES: the three Easy DKIM CNAMEs
 * (verification waits for them), the custom MAIL FROM domain's MX and SPF TXT (bounces come back to SES,
 * SPF aligns with the domain), and a DMARC policy to start with.
 */
export function identityDnsRecords(input: IdentityDnsInput): DnsRecord[] {
  const domain = input.domain.toLowerCase();
  const zone = input.dkimSigningZone || DEFAULT_DKIM_SIGNING_ZONE;
  const records: DnsRecord[] = input.dkimTokens.map((token) => ({
    purpose: 'DKIM',
    type: 'CNAME',
    name: `${token}._domainkey.${domain}`,
    value: `${token}.${zone}`,
    required: true,
  }));
  if (input.mailFromDomain) {
    records.push(
      {
        purpose: 'MAIL_FROM_MX',
        type: 'MX',
        name: input.mailFromDomain,
        value: `feedback-smtp.${input.region}.amazonses.com`,
        priority: 10,
        required: true,
        note: 'Until it is found SES uses its own amazonses.com MAIL FROM domain, and SPF does not align with yours.',
      },
      {
        purpose: 'MAIL_FROM_SPF',
        type: 'TXT',
        name: input.mailFromDomain,
        value: 'v=spf1 include:amazonses.com ~all',
        required: true,
      },
    );
  }
  records.push({
    purpose: 'DMARC',
    type: 'TXT',
    name: `_dmarc.${domain}`,
    value: 'v=DMARC1; p=none;',
    required: false,
    note: 'A starting policy: add rua=mailto:<your address> to receive aggregate reports, then move to p=quarantine or p=reject once every source of your mail passes DKIM or SPF. Keep an existing DMARC record.',
  });
  return records;
}

/** The custom MAIL FROM domain for a domain identity: `<subdomain>.<domain>`, or none when not configured. */
export function mailFromDomainOf(domain: string, subdomain: string | undefined): string | null {
  return subdomain ? `${subdomain.toLowerCase()}.${domain.toLowerCase()}` : null;
}
