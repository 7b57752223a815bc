import { isTerminalBeforeSend, MILESTONE_COLUMN, type EmailPatch, type EmailStatus } from '@postline/contracts';
import { raw, type Sql, sql } from '@postline/database';
import type { VersionedEmailRow } from './email-row';

/**
 * The one module that writes "Email": its columns, casts and statements. Writers return statements; the caller
 * runs them in its transaction (alone or joined by `withStatements`). Timestamps go in as ISO instants into
 * `timestamptz` columns or as `now()`, so they are UTC whatever the session's time zone.
 */

/** An accepted email as the gateway stores it: QUEUED, SCHEDULED, or a terminal status decided at acceptance. */
export interface NewEmail {
  id: string;
  accountId: string;
  operatorId: string;
  userName: string;
  operator: string;
  to: string;
  from: string;
  alias: string | null;
  subject: string;
  text: string;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  unsubscribeMsg: string;
  status: EmailStatus;
  statusReason: string | null;
  createdAt: Date;
  /** When a SCHEDULED email is due; the due pass (ScheduledEmails) queues it then. */
  sendAt?: Date | null;
  /** Personalization, rendered by the sender: the template version used, or inline placeholders. */
  templateId?: string | null;
  templateVersion?: number | null;
  variables?: Record<string, unknown> | null;
  /** An inline HTML body beside `text`. */
  html?: string | null;
  /** Message options (README "Message options"); absent means none. */
  options?: NewEmailOptions;
}

/** The message options an email is stored with; attachments are stored apart by the gateway. */
export interface NewEmailOptions {
  fromName: string | null;
  cc: string[];
  bcc: string[];
  replyTo: string[];
  headers: Record<string, string> | null;
  tags: { name: string; value: string }[] | null;
  tracking: { opens?: boolean; clicks?: boolean } | null;
  /** cc/bcc recipients left out at acceptance (suppressed), with why. */
  droppedRecipients: { address: string; field: 'cc' | 'bcc'; reason: string }[] | null;
  attachmentCount: number;
}

/** One email's change in a batch of status events. */
export interface EmailUpdate {
  id: string;
  status: EmailStatus;
  statusReason: string | null;
  sequence: number;
  statusChanged: boolean;
  patch: EmailPatch;
  milestones: Partial<Record<string, string>>;
}

/**
 * The INSERT of accepted emails with their first status, returning what their first history event needs
 * (`insertAcceptedEvents`).
 */
export function insertEmails(emails: readonly NewEmail[]): Sql {
  // The emails of a batch usually share one acceptance instant: format it once.
  let lastAt: Date | undefined;
  let lastIso = '';
  const iso = (at: Date) => (at === lastAt ? lastIso : ((lastAt = at), (lastIso = at.toISOString())));
  // Only the columns, so that neither side handles keys nobody reads.
  const rows = emails.map((e) => ({
    id: e.id,
    accountId: e.accountId,
    operatorId: e.operatorId,
    to: e.to,
    from: e.from,
    alias: e.alias,
    subject: e.subject,
    text: e.text,
    externalId: e.externalId,
    clientId: e.clientId,
    callbacks: e.callbacks,
    unsubscribeMsg: e.unsubscribeMsg,
    status: e.status,
    statusReason: e.statusReason,
    createdAt: iso(e.createdAt),
    rejectedAt: isTerminalBeforeSend(e.status) ? iso(e.createdAt) : undefined,
    sendAt: e.sendAt ? e.sendAt.toISOString() : undefined,
    templateId: e.templateId ?? undefined,
    templateVersion: e.templateVersion ?? undefined,
    variables: e.variables ?? undefined,
    html: e.html ?? undefined,
    ...e.options,
  }));
  return sql`INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId",
           "clientId", "callbacks", "unsubscribeMsg", "status", "statusReason", "sequence", "createdAt", "updatedAt", "rejectedAt",
           "templateId", "templateVersion", "variables", "html", "sendAt",
           "fromName", "cc", "bcc", "replyTo", "headers", "tags", "tracking", "droppedRecipients", "attachmentCount")
         SELECT v."id", v."accountId", v."operatorId", v."to", v."from", v."alias", v."subject", v."text", v."externalId",
           v."clientId", ARRAY(SELECT jsonb_array_elements_text(v."callbacks")), v."unsubscribeMsg", v."status"::"EmailStatus",
           v."statusReason", 1, v."createdAt", v."createdAt", v."rejectedAt", v."templateId", v."templateVersion", v."variables", v."html",
           v."sendAt",
           v."fromName", COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."cc")), '{}'),
           COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."bcc")), '{}'),
           COALESCE(ARRAY(SELECT jsonb_array_elements_text(v."replyTo")), '{}'), v."headers", v."tags", v."tracking",
           v."droppedRecipients", COALESCE(v."attachmentCount", 0)
         FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" uuid, "accountId" uuid, "operatorId" uuid, "to" text, "from" text,
           "alias" text, "subject" text, "text" text, "externalId" text, "clientId" text, "callbacks" jsonb,
           "unsubscribeMsg" text, "status" text, "statusReason" text, "createdAt" timestamptz, "rejectedAt" timestamptz,
           "templateId" uuid, "templateVersion" int, "variables" jsonb, "html" text, "sendAt" timestamptz,
           "fromName" text, "cc" jsonb, "bcc" jsonb, "replyTo" jsonb, "headers" jsonb, "tags" jsonb, "tracking" jsonb,
           "droppedRecipients" jsonb, "attachmentCount" int)
         RETURNING "id", "accountId", "status", "statusReason", "createdAt"`;
}

/**
 * One UPDATE for every email of the batch. Columns no event of the batch changes keep their value, so an
 * update touching no indexed column can stay a HOT update. With `versions` (the rows as read), an email is
 * updated only if its `xmin` is still the one read, and the ids updated are returned.
 */
export function updateEmails(
  updates: readonly EmailUpdate[],
  versions?: ReadonlyMap<string, VersionedEmailRow>,
): Sql | undefined {
  if (updates.length === 0) return undefined;
  const rows = updates.map((u) => ({
    id: u.id,
    ...(versions ? { version: versions.get(u.id)?.version } : {}),
    changed: u.statusChanged,
    status: u.status,
    statusReason: u.statusReason,
    sequence: u.sequence,
    ...u.patch,
    ...u.milestones,
  }));
  const milestoneColumns = Object.values(MILESTONE_COLUMN);
  const setMilestones = raw(milestoneColumns.map((c) => `"${c}" = COALESCE(e."${c}", v."${c}")`).join(', '));
  const milestoneTypes = raw(milestoneColumns.map((c) => `"${c}" timestamptz`).join(', '));
  return sql`UPDATE "Email" e SET
       "status" = CASE WHEN v."changed" THEN v."status"::"EmailStatus" ELSE e."status" END,
       "statusReason" = CASE WHEN v."changed" THEN v."statusReason" ELSE e."statusReason" END,
       "sequence" = CASE WHEN v."changed" THEN v."sequence" ELSE e."sequence" END,
       "sesMessageId" = COALESCE(v."sesMessageId", e."sesMessageId"),
       "dispatchState" = COALESCE(v."dispatchState"::"DispatchState", e."dispatchState"),
       "dispatchStartedAt" = COALESCE(v."dispatchStartedAt", e."dispatchStartedAt"),
       "dispatchAttempts" = COALESCE(v."dispatchAttempts", e."dispatchAttempts"),
       "dispatchToken" = COALESCE(v."dispatchToken", e."dispatchToken"),
       "dequeuedAt" = COALESCE(e."dequeuedAt", v."dequeuedAt"),
       ${setMilestones},
       "updatedAt" = now()
     FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" uuid, "changed" boolean, "status" text, "statusReason" text,
       "sequence" int, "sesMessageId" text, "dispatchState" text, "dispatchStartedAt" timestamptz,
       "dispatchAttempts" int, "dispatchToken" text, "dequeuedAt" timestamptz, ${milestoneTypes}${raw(versions ? ', "version" xid' : '')})
     WHERE e."id" = v."id"${raw(versions ? ' AND e."xmin" = v."version" RETURNING e."id"' : '')}`;
}

/** The dispatch starts no DEQUEUED event carried (a retry: the email is DEQUEUED already), in one UPDATE. */
export function startDispatches(starts: readonly { id: string; attempts: number; at: Date; token: string }[]): Sql {
  return sql`UPDATE "Email" e SET "dequeuedAt" = COALESCE(e."dequeuedAt", now()), "dispatchState" = 'STARTED',
         "dispatchStartedAt" = v."at", "dispatchAttempts" = v."attempts", "dispatchToken" = v."token", "updatedAt" = now()
       FROM unnest(${starts.map((s) => s.id)}::uuid[], ${starts.map((s) => s.attempts)}::int[], ${starts.map((s) => s.at)}::timestamptz[], ${starts.map((s) => s.token)}::text[]) AS v("id", "attempts", "at", "token")
       WHERE e."id" = v."id"`;
}

/** A started dispatch that certainly did not reach SES is no dispatch; `refund` gives its attempt back. */
export function releaseDispatch(emailId: string, refund: boolean): Sql {
  return sql`UPDATE "Email" SET "dispatchState" = 'NONE', "dispatchAttempts" = "dispatchAttempts" - ${refund ? 1 : 0}, "updatedAt" = now()
       WHERE "id" = ${emailId} AND "dispatchState" = 'STARTED'`;
}

/** Started dispatches SES evidence proved: CONFIRMED. */
export function confirmDispatches(emailIds: readonly string[]): Sql {
  return sql`UPDATE "Email" SET "dispatchState" = 'CONFIRMED', "updatedAt" = now() WHERE "id" = ANY(${emailIds}::uuid[]) AND "dispatchState" = 'STARTED'`;
}

/** A SCHEDULED email's new due time. */
export function rescheduleEmail(emailId: string, sendAt: Date): Sql {
  return sql`UPDATE "Email" SET "sendAt" = ${sendAt}, "updatedAt" = now() WHERE "id" = ${emailId}`;
}

/**
 * Up to `limit` of the account's emails accepted before `before` (none still SCHEDULED: a rescheduled email is
 * not old), deleted with their callbacks; their events and attempts go by cascade. Rows another purge holds are
 * skipped (SKIP LOCKED), so replicas share the work. The retention purge runs it until it deletes less.
 */
export function purgeExpiredEmails(accountId: string, before: Date, limit: number): Sql {
  return sql`WITH doomed AS (
      SELECT "id" FROM "Email"
      WHERE "accountId" = ${accountId} AND "createdAt" < (${before}::timestamptz AT TIME ZONE 'UTC')
        AND "status" <> 'SCHEDULED'
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ), callbacks AS (
      DELETE FROM "WebhookDelivery" w USING doomed d WHERE w."emailId" = d."id"
    )
    DELETE FROM "Email" e USING doomed d WHERE e."id" = d."id"`;
}
