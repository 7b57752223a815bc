import { JobName, QueueName } from '@postline/contracts';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { JobReconciler, type PendingJob, type PendingWork } from './job-reconciler.service';
import type { OutboxRelay } from './outbox-relay.service';
import type { QueueRegistry } from './queue-registry.service';
import { redisOptionsFromUrl } from './redis-options';

// A pool of its own (not @postline/testing's, which depends on libs that depend on this one).
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const connection = redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.QUEUE_PREFIX;
let sends: Queue;
let reconciler: JobReconciler;

const job = (id: string): PendingJob<typeof JobName.SendEmail> => ({ jobId: id, data: { emailId: id } });

/** Work whose page is a snapshot taken before the pass; `pendingNow` is what Postgres says when asked again. */
function work(snapshot: string[], pendingNow: string[]): PendingWork<typeof JobName.SendEmail> {
  return {
    name: `test-${Math.random()}`,
    jobName: JobName.SendEmail,
    page: async () => ({ jobs: snapshot.map(job), cursor: null }),
    stillPending: async (_db, jobs) => jobs.filter((j) => pendingNow.includes(j.jobId)),
  };
}

beforeAll(() => {
  sends = new Queue(QueueName.EmailSend, { connection, prefix });
  const registry = { get: () => sends } as unknown as QueueRegistry;
  reconciler = new JobReconciler(pool, registry, { nudge: () => undefined } as unknown as OutboxRelay);
});

afterEach(() => sends.obliterate({ force: true }));

afterAll(async () => {
  await sends.close();
  await pool.end();
});

describe('JobReconciler', () => {
  it('re-queues pending work whose job Redis no longer holds, under the same job id, and leaves held jobs alone', async () => {
    await sends.add(JobName.SendEmail, { emailId: 'held' }, { jobId: 'held', delay: 60_000 });

    expect(await reconciler.reconcile(work(['held', 'lost-1', 'lost-2'], ['held', 'lost-1', 'lost-2']), 0)).toBe(2);

    const ids = (await sends.getJobs(['waiting', 'delayed'])).map((j) => j.id).sort();
    expect(ids).toEqual(['held', 'lost-1', 'lost-2']);
  });

  // The race seen under load: the page is read, then the job completes (its work committed, its hash removed)
  // before Redis is asked. Postgres asked again no longer holds it pending: it is not lost, nothing is re-queued.
  it('does not re-queue work that finished between reading the page and asking Redis', async () => {
    expect(await reconciler.reconcile(work(['finished', 'lost'], ['lost']), 0)).toBe(1);

    expect((await sends.getJobs(['waiting'])).map((j) => j.id)).toEqual(['lost']);
  });
});
