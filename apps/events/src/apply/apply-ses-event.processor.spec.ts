import type { ConfigService } from '@nestjs/config';
import { JobName } from '@postline/contracts';
import { DelayedError, type Job } from 'bullmq';
import type { Env } from '../env';
import type { ReceiptReconciler } from '../receipts/receipt-reconciler.service';
import { ApplySesEventProcessor } from './apply-ses-event.processor';
import type { ApplyResult, SesEventApplier } from './ses-event-applier.service';

function setup(result: ApplyResult) {
  const applier = { apply: jest.fn().mockResolvedValue(result) };
  const config = { get: jest.fn().mockReturnValue(50) } as unknown as ConfigService<Env, true>;
  const sut = new ApplySesEventProcessor(applier as unknown as SesEventApplier, config, {} as ReceiptReconciler);
  const job = {
    name: JobName.ApplySesEvent,
    data: { snsMessageId: 'm-1' },
    moveToDelayed: jest.fn().mockResolvedValue(undefined),
  };
  return {
    sut,
    applier,
    job,
    run: () => sut.process(job as unknown as Job<{ snsMessageId: string }, void, 'apply-ses-event'>, 'token-1'),
  };
}

describe(ApplySesEventProcessor.name, () => {
  it('completes the job once the event is applied', async () => {
    const { run, applier, job } = setup({ kind: 'done', outcome: 'applied' });
    await expect(run()).resolves.toBeUndefined();
    expect(applier.apply).toHaveBeenCalledWith('m-1');
    expect(job.moveToDelayed).not.toHaveBeenCalled();
  });

  it('completes the job of a parked event (the receipt keeps it for operators)', async () => {
    const { run, job } = setup({
      kind: 'parked',
      cause: 'contradicted',
      reason: "its SES MessageId is not the email's",
    });
    await expect(run()).resolves.toBeUndefined();
    expect(job.moveToDelayed).not.toHaveBeenCalled();
  });

  it('moves the job to delayed without spending an attempt when the email is not known yet', async () => {
    const { run, job } = setup({ kind: 'retry', delayMs: 30_000, reason: 'email not known yet' });
    const before = Date.now();
    await expect(run()).rejects.toBeInstanceOf(DelayedError);
    const [timestamp, token] = job.moveToDelayed.mock.calls[0] as [number, string];
    expect(token).toBe('token-1');
    expect(timestamp).toBeGreaterThanOrEqual(before + 30_000);
    expect(timestamp).toBeLessThan(before + 31_000);
  });
});
