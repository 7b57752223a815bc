import type { SenderIdentity } from '@postline/database';
import { type DnsRecord, identityDnsRecords } from '@postline/ses';

export interface SenderView {
  id: string;
  kind: SenderIdentity['kind'];
  identity: string;
  status: SenderIdentity['status'];
  statusReason: string | null;
  /** The custom MAIL FROM domain of a domain identity and SES's view of its MX record. */
  mailFrom: { domain: string; status: string | null } | null;
  /** For a domain: the records to publish in its DNS. An address is verified by SES's confirmation email. */
  dnsRecords: DnsRecord[];
  verifiedAt: string | null;
  lastCheckedAt: string | null;
  createdAt: string;
}

export function toSenderView(sender: SenderIdentity, region: string): SenderView {
  return {
    id: sender.id,
    kind: sender.kind,
    identity: sender.identity,
    status: sender.status,
    statusReason: sender.statusReason,
    mailFrom: sender.mailFromDomain ? { domain: sender.mailFromDomain, status: sender.mailFromStatus } : null,
    dnsRecords:
      sender.kind === 'DOMAIN'
        ? identityDnsRecords({
            domain: sender.identity,
            dkimTokens: sender.dkimTokens,
            dkimSigningZone: sender.dkimSigningZone,
            mailFromDomain: sender.mailFromDomain,
            region,
          })
        : [],
    verifiedAt: sender.verifiedAt?.toISOString() ?? null,
    lastCheckedAt: sender.lastCheckedAt?.toISOString() ?? null,
    createdAt: sender.createdAt.toISOString(),
  };
}
