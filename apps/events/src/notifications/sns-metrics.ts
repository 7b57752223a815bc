import { metric } from '@postline/http';
import { Counter } from 'prom-client';

/** SNS messages by type and what became of them (accepted, duplicate, refused, ignored, confirmed, …). */
export const snsMessages = () =>
  metric(
    'postline_sns_messages_total',
    () =>
      new Counter({
        name: 'postline_sns_messages_total',
        help: 'SNS messages received',
        labelNames: ['type', 'result'],
      }),
  );
