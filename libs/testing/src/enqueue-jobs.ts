import type { INestApplicationContext } from '@nestjs/common';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import { QueueRegistry } from '@postline/queue';
import type { JobsOptions } from 'bullmq';

/** Puts jobs straight on their queue, typed by job name; production code queues through the outbox. */
export async function enqueueJobs<N extends JobName>(
  app: INestApplicationContext,
  name: N,
  jobs: { data: JobPayloads[N]; opts?: JobsOptions }[],
): Promise<void> {
  await app
    .get(QueueRegistry)
    .get(JOB_QUEUE[name])
    .addBulk(jobs.map((job) => ({ name, data: job.data, opts: job.opts })));
}
