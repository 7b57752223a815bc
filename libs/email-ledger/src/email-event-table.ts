import type { EmailStatus } from '@postline/contracts';
import { raw, type Sql, sql } from '@postline/database';

/** The one module that writes "EmailEvent", the emails' history: its columns, casts and statements. */

/** An EmailEvent row as inserted: what it changed is known before it is written. */
export interface EventRow {
  id: string;
  emailId: string;
  accountId: string;
  source: string;
  sourceId: string;
  type: string;
  mappedStatus: EmailStatus;
  previousStatus: EmailStatus | null;
  newStatus: EmailStatus | null;
  sequence: number | null;
  details: Record<string, unknown>;
  occurredAt: string;
}

/**
 * The INSERT of new EmailEvent rows. `skipRecorded`: an event recorded before is skipped and the source ids
 * written are returned; otherwise it fails the statement on the unique key.
 */
export function eventsStatement(rows: readonly EventRow[], skipRecorded: boolean): Sql {
  return sql`INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus",
         "previousStatus", "newStatus", "sequence", "details", "occurredAt")
       SELECT v."id", v."emailId", v."accountId", v."source", v."sourceId", v."type", v."mappedStatus"::"EmailStatus",
         v."previousStatus"::"EmailStatus", v."newStatus"::"EmailStatus", v."sequence", v."details", v."occurredAt"
       FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("id" uuid, "emailId" uuid, "accountId" uuid, "source" text, "sourceId" text,
         "type" text, "mappedStatus" text, "previousStatus" text, "newStatus" text, "sequence" int, "details" jsonb,
         "occurredAt" timestamptz)${raw(skipRecorded ? ' ON CONFLICT ("sourceId") DO NOTHING RETURNING "sourceId"' : '')}`;
}

/** Takes back events inserted by a plan that is made again (some of its events were recorded before). */
export function deleteEvents(ids: readonly string[]): Sql {
  return sql`DELETE FROM "EmailEvent" WHERE "id" = ANY(${ids}::uuid[])`;
}

/**
 * The first history event of accepted emails, read from the RETURNING rows of `insertEmails` (the CTE named
 * `accepted`). `eventIds` names the events whose callbacks need their id known (the others get theirs in Postgres).
 */
export function insertAcceptedEvents(accepted: string, eventIds: Record<string, string>): Sql {
  return sql`INSERT INTO "EmailEvent" ("id", "emailId", "accountId", "source", "sourceId", "type", "mappedStatus", "newStatus",
           "sequence", "details", "occurredAt")
         SELECT COALESCE((${JSON.stringify(eventIds)}::jsonb ->> a."id"::text)::uuid, gen_random_uuid()), a."id", a."accountId", 'GATEWAY',
           a."id"::text || ':accepted', 'Accepted', a."status", a."status", 1,
           CASE WHEN a."statusReason" IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('reason', a."statusReason") END,
           a."createdAt"
         FROM ${raw(`"${accepted}"`)} a`;
}
