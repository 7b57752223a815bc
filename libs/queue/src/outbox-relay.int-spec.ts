import { JobName, QueueName } from '@postline/contracts';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { outboxEntry, type OutboxEntry, outboxStatement } from './outbox';
import { OutboxRelay } from './outbox-relay.service';
import type { QueueRegistry } from './queue-registry.service';
import { redisOptionsFromUrl } from './redis-options';

// A pool of its own (not @postline/testing's, which depends on libs that depend on this one).
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const testPool = () => pool;
const connection = redisOptionsFromUrl(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.QUEUE_PREFIX;
let sends: Queue;
let reputation: Queue;
let relay: OutboxRelay;

function sendJobs(count: number, from = 0): OutboxEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const emailId = `email-${from + i}`;
    return outboxEntry(JobName.SendEmail, { emailId }, emailId);
  });
}

async function write(entries: OutboxEntry[]): Promise<void> {
  const statement = outboxStatement(entries);
  if (statement) await testPool().query(statement);
}

async function outboxSize(): Promise<{ rows: number; jobs: number }> {
  const { rows } = await testPool().query<{ rows: number; jobs: number }>(
    `SELECT count(*)::int AS "rows", COALESCE(sum("size"), 0)::int AS "jobs" FROM "OutboxEvent"`,
  );
  return rows[0];
}

beforeAll(() => {
  sends = new Queue(QueueName.EmailSend, { connection, prefix });
  reputation = new Queue(QueueName.ReputationEvent, { connection, prefix });
  const registry = { get: (name: QueueName) => (name === QueueName.EmailSend ? sends : reputation) };
  relay = new OutboxRelay(testPool(), registry as QueueRegistry);
});

afterEach(async () => {
  jest.restoreAllMocks();
  await testPool().query(`DELETE FROM "OutboxEvent"`);
  await Promise.all([sends.obliterate({ force: true }), reputation.obliterate({ force: true })]);
});

afterAll(async () => {
  await Promise.all([sends.close(), reputation.close()]);
  await pool.end();
});

describe('OutboxRelay', () => {
  it('writes one row per group of jobs and relays every job of it, with its id and payload', async () => {
    await write([...sendJobs(3), outboxEntry(JobName.RecordReputationEvents, { events: [] }, 'rep-1', 5_000)]);
    expect(await outboxSize()).toEqual({ rows: 2, jobs: 4 });

    await relay.drain();

    expect(await outboxSize()).toEqual({ rows: 0, jobs: 0 });
    const queued = await sends.getJobs(['waiting']);
    expect(queued.map((j) => [j.id, j.name, j.data]).sort()).toEqual([
      ['email-0', JobName.SendEmail, { emailId: 'email-0' }],
      ['email-1', JobName.SendEmail, { emailId: 'email-1' }],
      ['email-2', JobName.SendEmail, { emailId: 'email-2' }],
    ]);
    const [delayed] = await reputation.getJobs(['delayed']);
    expect(delayed.id).toBe('rep-1');
    expect(delayed.opts.delay).toBe(5_000);
  });

  it('bounds a pass by jobs, not rows: rows of 600 jobs go one per addBulk, a larger row alone', async () => {
    await write(sendJobs(600, 0));
    await write(sendJobs(600, 600));
    await write(sendJobs(1500, 1200));
    await write(sendJobs(1, 2700));
    const addBulk = jest.spyOn(sends, 'addBulk');

    await relay.drain();

    expect(addBulk.mock.calls.map(([jobs]) => jobs.length)).toEqual([600, 600, 1500, 1]);
    expect(await sends.getWaitingCount()).toBe(2701);
    expect(await outboxSize()).toEqual({ rows: 0, jobs: 0 });
  });

  it('keeps the rows when Redis refuses them, and moves them on the next pass', async () => {
    await write(sendJobs(5));
    jest.spyOn(sends, 'addBulk').mockRejectedValueOnce(new Error('Connection is closed.'));

    await expect(relay.drain()).rejects.toThrow('Connection is closed.');
    expect(await outboxSize()).toEqual({ rows: 1, jobs: 5 });

    await relay.drain();
    expect(await outboxSize()).toEqual({ rows: 0, jobs: 0 });
    expect(await sends.getWaitingCount()).toBe(5);
  });
});
