import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
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
  const params: unknown[] = [];
  const values = entries.map((e, i) => {
    params.push(JOB_QUEUE[e.name], e.name, e.jobId, JSON.stringify(e.data), e.delayMs ?? 0);
    const o = i * 5;
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5})`;
  });
  await client.query(
    `INSERT INTO "OutboxEvent" ("queue", "jobName", "jobId", "payload", "delayMs") VALUES ${values.join(', ')}`,
    params,
  );
}

/**
 * Joins the parts of a composite job id. BullMQ refuses ':' in custom ids (it is its key separator), so the
 * design's `<eventId>:<url hash>` is written `<eventId>_<url hash>`.
 */
export function jobIdOf(...parts: string[]): string {
  return parts.join('_');
}
