import { type Job, UnrecoverableError } from 'bullmq';

/**
 * The `default:` of every processor's `switch (job.name)`. A job name left out of the switch is a lint error
 * (switch-exhaustiveness-check); a job left by another version fails here at once, since retrying cannot help.
 */
export function unexpectedJob(job: Pick<Job, 'name' | 'queueName'>): never {
  throw new UnrecoverableError(`unexpected job ${job.name} on ${job.queueName}`);
}
