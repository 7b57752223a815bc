import type { ConfigService } from '@nestjs/config';
import type { SendEmailJob, StatusEvent } from '@postline/contracts';
import type { StatusRecorder } from '@postline/email-ledger';
import type { PostgresOutage } from '@postline/queue';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Env } from '../env';
import type { SendReconciler } from '../reconcile/send-reconciler.service';
import type { EmailDispatcher } from './email-dispatcher.service';
import { SendEmailProcessor } from './send-email.processor';
import type { SendPacer } from './send-pacer.service';
import type { SendRateService } from './send-rate.service';
import type { SendingPause } from './sending-pause.service';

function setup() {
  const recorded: StatusEvent[][] = [];
  const recorder = { record: jest.fn(async (events: StatusEvent[]) => void recorded.push(events)) };
  const sut = new SendEmailProcessor(
    {} as EmailDispatcher,
    {} as SendRateService,
    {} as SendingPause,
    {} as SendPacer,
    {} as ConfigService<Env, true>,
    recorder as unknown as StatusRecorder,
    {} as SendReconciler,
    {} as PostgresOutage,
  );
  const job = (attemptsMade: number) =>
    ({ id: 'e1', data: { emailId: 'e1' }, attemptsMade, opts: { attempts: 5 } }) as unknown as Job<SendEmailJob>;
  // The handler the worker's 'failed' event calls.
  const failed = (j: Job<SendEmailJob>, e: Error) =>
    (sut as unknown as { failed: (j: Job<SendEmailJob>, e: Error) => Promise<void> }).failed(j, e);
  return { recorded, failed, job };
}

describe(SendEmailProcessor.name, () => {
  it('ends the email EXHAUSTED with the reason when its job will not run again', async () => {
    const { recorded, failed, job } = setup();
    await failed(job(5), new Error('boom'));
    expect(recorded).toEqual([
      [
        expect.objectContaining({
          emailId: 'e1',
          status: 'EXHAUSTED',
          sourceId: 'e1:job-failed',
          statusReason: expect.stringContaining('boom'),
        }),
      ],
    ]);
  });

  it('also after an unrecoverable error on the first attempt', async () => {
    const { recorded, failed, job } = setup();
    await failed(job(1), new UnrecoverableError('bad job'));
    expect(recorded).toHaveLength(1);
  });

  it('leaves the email alone while the job still has attempts', async () => {
    const { recorded, failed, job } = setup();
    await failed(job(2), new Error('transient'));
    expect(recorded).toEqual([]);
  });
});
