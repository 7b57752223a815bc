import { metric } from '@postline/http';
import { Counter, Histogram } from 'prom-client';

export const deliveriesTotal = metric(
  'postline_webhook_deliveries_total',
  () =>
    new Counter({
      name: 'postline_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: succeeded, retrying, exhausted, gone, refused; superseded (another worker recorded the attempt first)',
      labelNames: ['outcome'],
    }),
);

export const deliveryLatency = metric(
  'postline_webhook_delivery_duration_seconds',
  () =>
    new Histogram({
      name: 'postline_webhook_delivery_duration_seconds',
      help: 'Time of one webhook POST until its (capped) response was read, by result class',
      labelNames: ['result'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    }),
);

/** From the status change being recorded (the SES event applied, or the acceptance) to its callback's 2xx. */
export const eventToCallback = metric(
  'postline_event_to_callback_seconds',
  () =>
    new Histogram({
      name: 'postline_event_to_callback_seconds',
      help: 'Latency from a status change (an SES event applied) to its callback answered 2xx, retries included',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 36000],
    }),
);
