import { type RecordReputationEventJob, ReputationEventKind } from '@postline/contracts';
import { UnrecoverableError } from 'bullmq';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS: ReadonlySet<string> = new Set(Object.values(ReputationEventKind));

/** Checks a job payload before it joins a batch: one malformed job must not fail the jobs batched with it. */
export function parseReputationEvent(data: unknown): RecordReputationEventJob {
  const d = (data ?? {}) as Partial<Record<keyof RecordReputationEventJob, unknown>>;
  const problems: string[] = [];
  if (typeof d.accountId !== 'string' || !UUID.test(d.accountId)) problems.push('accountId');
  if (typeof d.emailId !== 'string' || !UUID.test(d.emailId)) problems.push('emailId');
  if (typeof d.kind !== 'string' || !KINDS.has(d.kind)) problems.push('kind');
  if (typeof d.recipient !== 'string') problems.push('recipient');
  if (typeof d.occurredAt !== 'number' || !Number.isFinite(d.occurredAt)) problems.push('occurredAt');
  if (problems.length > 0) throw new UnrecoverableError(`malformed reputation event: ${problems.join(', ')}`);
  return d as RecordReputationEventJob;
}

/**
 * Checks the events of a batch job one by one: the well-formed ones are counted, the malformed ones listed
 * (the job then fails for good, after the others were counted).
 */
export function parseReputationEvents(data: unknown): { events: RecordReputationEventJob[]; malformed: string[] } {
  const list = (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(list)) throw new UnrecoverableError('malformed reputation events: events');
  const events: RecordReputationEventJob[] = [];
  const malformed: string[] = [];
  list.forEach((item, i) => {
    try {
      events.push(parseReputationEvent(item));
    } catch (error) {
      malformed.push(`#${i} ${(error as Error).message}`);
    }
  });
  return { events, malformed };
}
