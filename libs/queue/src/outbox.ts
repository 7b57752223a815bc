import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import { type Sql, sql } from '@postline/database';

/** The one module that writes "OutboxEvent": the jobs written with a transaction, and the relay's take. */

/** A job to enqueue once the transaction that writes it commits. */
export interface OutboxEntry<N extends JobName = JobName> {
  name: N;
  data: JobPayloads[N];
  jobId: string;
  delayMs?: number;
}

/** Typed constructor, so a payload always matches its job name. */
export function outboxEntry<N extends JobName>(
  name: N,
  data: JobPayloads[N],
  jobId: string,
  delayMs = 0,
): OutboxEntry<N> {
  return { name, data, jobId, delayMs };
}

/**
 * The INSERT of the entries, run in the caller's transaction (alone or joined to its other statements); none
 * when there are none. Jobs with the same queue, name and delay share one row: a batch of a thousand sends is
 * one row to write, read and delete, not a thousand.
 */
export function outboxStatement(entries: readonly OutboxEntry[]): Sql | undefined {
  if (entries.length === 0) return undefined;
  const groups = new Map<string, { queue: string; jobName: string; delayMs: number; size: number; jobs: unknown[] }>();
  for (const e of entries) {
    const delayMs = e.delayMs ?? 0;
    const key = `${e.name} ${delayMs}`;
    let group = groups.get(key);
    if (!group) {
      group = { queue: JOB_QUEUE[e.name], jobName: e.name, delayMs, size: 0, jobs: [] };
      groups.set(key, group);
    }
    group.jobs.push({ id: e.jobId, data: e.data });
    group.size++;
  }
  return sql`INSERT INTO "OutboxEvent" ("queue", "jobName", "delayMs", "size", "jobs")
          SELECT v."queue", v."jobName", v."delayMs", v."size", v."jobs"
          FROM jsonb_to_recordset(${JSON.stringify([...groups.values()])}::jsonb) AS v("queue" text, "jobName" text, "delayMs" int, "size" int, "jobs" jsonb)`;
}

/** Deletes the rows a relay pass moves to Redis and returns their jobs, in outbox order. */
export function takeOutboxRows(ids: readonly string[]): Sql {
  return sql`WITH moved AS (DELETE FROM "OutboxEvent" WHERE "id" = ANY(${ids}::bigint[])
             RETURNING "id", "queue", "jobName", "delayMs", "jobs")
           SELECT "queue", "jobName", "delayMs", "jobs" FROM moved ORDER BY "id"`;
}

/**
 * Joins the parts of a composite job id. BullMQ refuses ':' in custom ids (it is its key separator), so the
 * design's `<eventId>:<url hash>` is written `<eventId>_<url hash>`.
 */
export function jobIdOf(...parts: string[]): string {
  return parts.join('_');
}
