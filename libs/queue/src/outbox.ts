import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import type { SqlStatement } from '@postline/database';
import type { PoolClient } from 'pg';

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

/** Writes outbox rows in the caller's transaction with one multi-row INSERT. */
export async function insertOutbox(client: PoolClient, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const { sql, params } = outboxStatement(entries);
  await client.query(sql, params);
}

/** The INSERT of `insertOutbox`, for callers that join it to statements of their own. */
export function outboxStatement(entries: readonly OutboxEntry[]): SqlStatement {
  const rows = entries.map((e) => ({
    queue: JOB_QUEUE[e.name],
    jobName: e.name,
    jobId: e.jobId,
    payload: e.data,
    delayMs: e.delayMs ?? 0,
  }));
  return {
    sql: `INSERT INTO "OutboxEvent" ("queue", "jobName", "jobId", "payload", "delayMs")
          SELECT v."queue", v."jobName", v."jobId", v."payload", v."delayMs"
          FROM jsonb_to_recordset($1::jsonb) AS v("queue" text, "jobName" text, "jobId" text, "payload" jsonb, "delayMs" int)`,
    params: [JSON.stringify(rows)],
  };
}

/**
 * Joins the parts of a composite job id. BullMQ refuses ':' in custom ids (it is its key separator), so the
 * design's `<eventId>:<url hash>` is written `<eventId>_<url hash>`.
 */
export function jobIdOf(...parts: string[]): string {
  return parts.join('_');
}
