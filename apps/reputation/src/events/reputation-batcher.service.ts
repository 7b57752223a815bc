import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RecordReputationEventJob } from '@postline/contracts';
import { GroupCommit } from '@postline/database';
import { metric } from '@postline/http';
import { Counter, Histogram } from 'prom-client';
import type { Env } from '../env';
import { ReputationRecorder } from './reputation-recorder.service';

const eventsTotal = () =>
  metric(
    'postline_reputation_events_total',
    () =>
      new Counter({
        name: 'postline_reputation_events_total',
        help: 'Reputation events by outcome: counted, duplicate, ignored (simulator, outside the window, unknown account)',
        labelNames: ['outcome'],
      }),
  );
const batchSize = () =>
  metric(
    'postline_reputation_batch_size',
    () =>
      new Histogram({
        name: 'postline_reputation_batch_size',
        help: 'Reputation events per batch transaction',
        buckets: [1, 10, 50, 100, 250, 500, 1000, 2500],
      }),
  );

/** The processor's entry: concurrent jobs become one batch transaction (ReputationRecorder). */
@Injectable()
export class ReputationBatcher {
  private readonly batcher: GroupCommit<RecordReputationEventJob, void>;

  constructor(
    private readonly recorder: ReputationRecorder,
    config: ConfigService<Env, true>,
  ) {
    this.batcher = new GroupCommit<RecordReputationEventJob, void>(
      async (events) => {
        await this.flush(events);
        return events.map(() => undefined);
      },
      config.get('REPUTATION_BATCH_SIZE', { infer: true }),
      config.get('REPUTATION_BATCHES_IN_FLIGHT', { infer: true }),
    );
  }

  submit(event: RecordReputationEventJob): Promise<void> {
    return this.batcher.submit(event);
  }

  private async flush(events: RecordReputationEventJob[]): Promise<void> {
    batchSize().observe(events.length);
    const summary = await this.recorder.record(events);
    const counter = eventsTotal();
    if (summary.counted) counter.inc({ outcome: 'counted' }, summary.counted);
    if (summary.duplicates) counter.inc({ outcome: 'duplicate' }, summary.duplicates);
    if (summary.ignored) counter.inc({ outcome: 'ignored' }, summary.ignored);
  }
}
