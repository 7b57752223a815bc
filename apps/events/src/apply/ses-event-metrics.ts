import { metric } from '@postline/http';
import { Counter, Histogram } from 'prom-client';

export const sesEventsApplied = () =>
  metric(
    'postline_ses_events_total',
    () =>
      new Counter({
        name: 'postline_ses_events_total',
        help: 'SES events processed, by event type and outcome (applied, unchanged, duplicate, retry, parked, …)',
        labelNames: ['event_type', 'outcome'],
      }),
  );

export const sesEventsParked = () =>
  metric(
    'postline_ses_events_parked_total',
    () =>
      new Counter({
        name: 'postline_ses_events_parked_total',
        help: 'SES events parked because their email stayed unknown after every retry (see GET /ses/parked)',
        labelNames: ['event_type'],
      }),
  );

export const sesEventBatchSize = () =>
  metric(
    'postline_ses_event_batch_size',
    () =>
      new Histogram({
        name: 'postline_ses_event_batch_size',
        help: 'SES events applied per transaction',
        buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
      }),
  );
