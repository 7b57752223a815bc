import { Injectable } from '@nestjs/common';
import { JOB_QUEUE, type JobName, type JobPayloads } from '@postline/contracts';
import type { JobsOptions } from 'bullmq';
import { QueueRegistry } from './queue-registry.service';

/** The only way feature code puts a job on a queue: typed by job name. */
@Injectable()
export class JobProducer {
  constructor(private readonly queues: QueueRegistry) {}

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: JobsOptions = {}): Promise<void> {
    await this.queues.get(JOB_QUEUE[name]).add(name, data, opts);
  }

  async enqueueBulk<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; opts?: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queues.get(JOB_QUEUE[name]).addBulk(jobs.map((job) => ({ name, data: job.data, opts: job.opts })));
  }
}
