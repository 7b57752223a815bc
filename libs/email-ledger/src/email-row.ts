import type { EmailStatus } from '@postline/contracts';

/** The columns of an email that status recording reads (locked FOR UPDATE), plus account and operator names. */
export interface EmailRow {
  id: string;
  accountId: string;
  to: string;
  from: string;
  subject: string;
  alias: string | null;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  status: EmailStatus;
  sequence: number;
  userName: string;
  operator: string;
  sentAt: Date | null;
  delayedAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  softBouncedAt: Date | null;
  hardBouncedAt: Date | null;
  complainedAt: Date | null;
  unsubscribedAt: Date | null;
  rejectedAt: Date | null;
  /** The email's tags, echoed in callbacks. */
  tags?: { name: string; value: string }[] | null;
  /** Its cc and bcc recipients: SES reports on them as on `to` (README "Message options"). */
  extraRecipients?: string[] | null;
}

/** An email read without a lock, with its row version (`xmin`): a write planned from it applies only while unchanged. */
export interface VersionedEmailRow extends EmailRow {
  version: string;
}

/** The column that reads `VersionedEmailRow.version`. */
export const EMAIL_ROW_VERSION = `e."xmin"::text AS "version"`;

export const EMAIL_ROW_COLUMNS = `e."id", e."accountId", e."to", e."from", e."subject", e."alias", e."externalId", e."clientId",
  e."callbacks", e."status", e."sequence", a."name" AS "userName", o."name" AS "operator", e."sentAt", e."delayedAt",
  e."deliveredAt", e."openedAt", e."clickedAt", e."softBouncedAt", e."hardBouncedAt", e."complainedAt",
  e."unsubscribedAt", e."rejectedAt", e."tags", e."cc" || e."bcc" AS "extraRecipients"`;

export const EMAIL_ROW_FROM = `"Email" e JOIN "Account" a ON a."id" = e."accountId" JOIN "Operator" o ON o."id" = e."operatorId"`;
