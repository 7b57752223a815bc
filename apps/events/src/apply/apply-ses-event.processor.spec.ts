import { JobName } from '@postline/contracts';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { ReceiptJanitor } from '../receipts/receipt-janitor.service';
import type { ReceiptReconciler } from '../receipts/receipt-reconciler.service';
import { ApplySesEventProcessor } from './apply-ses-event.processor';
import type { ApplyResult, SesEventApplier } from './ses-event-applier.service';

function setup(result: ApplyResult) {
  const applier = { apply: jest.fn().mockResolvedValue(result) };
  const janitor = { run: jest.fn().mockResolvedValue(undefined) };
  const sut = new ApplySesEventProcessor(
    applier as unknown as SesEventApplier,
    {} as ReceiptReconciler,
    janitor as unknown as ReceiptJanitor,
  );
  const job = {
    name: JobName.ApplySesEvent,
    data: { snsMessageId: 'm-1' },
    moveToDelayed: jest.fn().mockResolvedValue(undefined),
  };
  return {
    sut,
    applier,
    janitor,
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

  it('runs the receipt janitor for its scheduled job', async () => {
    const { sut, janitor, applier } = setup({ kind: 'done', outcome: 'applied' });
    const tidy = { name: JobName.TidySnsReceipts, data: {} } as unknown as Job<
      Record<string, never>,
      void,
      'tidy-sns-receipts'
    >;
    await expect(sut.process(tidy)).resolves.toBeUndefined();
    expect(janitor.run).toHaveBeenCalledTimes(1);
    expect(applier.apply).not.toHaveBeenCalled();
  });

  it('fails a job it does not know for good', async () => {
    const { sut } = setup({ kind: 'done', outcome: 'applied' });
    const stray = { name: 'record-reputation-event', queueName: 'ses-event', data: {} } as unknown as Job<
      Record<string, never>,
      void,
      'tidy-sns-receipts'
    >;
    await expect(sut.process(stray)).rejects.toThrow(UnrecoverableError);
    await expect(sut.process(stray)).rejects.toThrow('unexpected job record-reputation-event on ses-event');
  });
});
