import { type Param, type Sql, sql } from '@postline/database';
import type { OutgoingEmail } from '../content/message-builder';

/** The message-option columns the journal round reads with each email (README "Message options"). */
export interface MessageOptionColumns {
  fromName: string | null;
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  headers: Record<string, string> | null;
  tracking: { opens?: boolean; clicks?: boolean } | null;
  attachmentCount: number;
  /** The account's tracking defaults (settings.trackOpens / trackClicks), null when not set. */
  accountTrackOpens: boolean | null;
  accountTrackClicks: boolean | null;
  /** cc/bcc addresses on the suppression list now (they may have been added since acceptance). */
  suppressedExtras: string[] | null;
}

/** The columns; `preparing` (the emails being prepared) are the only ones whose suppression list is read again. */
export function messageOptionColumns(preparing: Param): Sql {
  return sql`e."fromName", e."cc", e."bcc", e."replyTo", e."headers", e."tracking",
    e."attachmentCount", (a."settings" ->> 'trackOpens')::boolean AS "accountTrackOpens",
    (a."settings" ->> 'trackClicks')::boolean AS "accountTrackClicks",
    CASE WHEN e."id" = ANY(${preparing}::uuid[]) AND cardinality(e."cc") + cardinality(e."bcc") > 0 THEN (
      SELECT array_agg(x.address) FROM unnest(e."cc" || e."bcc") AS x(address)
      JOIN "Suppression" s ON s."accountId" = e."accountId" AND s."address" = lower(x.address)) END AS "suppressedExtras"`;
}

/**
 * The options of an email as the message builder takes them, or nothing when it has none. A cc or bcc
 * suppressed since acceptance is left out, as the gateway would have.
 */
export function outgoingOptionsOf(
  row: MessageOptionColumns & { tags?: { name: string; value: string }[] | null },
): Pick<OutgoingEmail, 'options' | 'attachmentCount'> {
  const tracking = effectiveTracking(row);
  const cc = row.cc ?? [];
  const bcc = row.bcc ?? [];
  const replyTo = row.replyTo ?? [];
  if (
    !row.fromName &&
    cc.length === 0 &&
    bcc.length === 0 &&
    replyTo.length === 0 &&
    !row.headers &&
    !row.tags &&
    !tracking &&
    row.attachmentCount === 0
  ) {
    return {};
  }
  const suppressed = new Set((row.suppressedExtras ?? []).map((a) => a.toLowerCase()));
  const kept = (list: string[]) => list.filter((a) => !suppressed.has(a.toLowerCase()));
  return {
    options: {
      fromName: row.fromName,
      cc: kept(cc),
      bcc: kept(bcc),
      replyTo,
      headers: row.headers,
      tags: row.tags ?? null,
      tracking,
      attachments: [],
    },
    ...(row.attachmentCount > 0 ? { attachmentCount: row.attachmentCount } : {}),
  };
}

/** The email's choice, else the account's default; null when both opens and clicks are tracked (the default). */
function effectiveTracking(row: MessageOptionColumns): { opens: boolean; clicks: boolean } | null {
  const opens = row.tracking?.opens ?? row.accountTrackOpens ?? true;
  const clicks = row.tracking?.clicks ?? row.accountTrackClicks ?? true;
  return opens && clicks ? null : { opens, clicks };
}
