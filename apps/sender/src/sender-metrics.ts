import { metric } from '@postline/http';
import { Counter, Gauge, Histogram } from 'prom-client';

/** Final statuses the sender wrote (SENT, NOT_SENT, BAD_FROM, …). */
export const emailsFinished = () =>
  metric(
    'postline_sender_emails_total',
    () =>
      new Counter({
        name: 'postline_sender_emails_total',
        help: 'Emails the sender brought to a status',
        labelNames: ['status'],
      }),
  );

/** Every SendEmail call by result: ok or the failure kind. */
export const sesCalls = () =>
  metric(
    'postline_sender_ses_calls_total',
    () =>
      new Counter({
        name: 'postline_sender_ses_calls_total',
        help: 'SendEmail calls by result',
        labelNames: ['result', 'code'],
      }),
  );

export const sesCallDuration = () =>
  metric(
    'postline_sender_ses_call_duration_seconds',
    () =>
      new Histogram({
        name: 'postline_sender_ses_call_duration_seconds',
        help: 'SendEmail latency',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

/** Emails whose dispatch may have reached SES but was never confirmed: an operator must look at them. */
export const ambiguousDispatches = () =>
  metric(
    'postline_sender_dispatch_ambiguous_total',
    () =>
      new Counter({
        name: 'postline_sender_dispatch_ambiguous_total',
        help: 'Dispatches marked AMBIGUOUS (not re-sent, no Send event)',
      }),
  );

export const sendRetries = () =>
  metric(
    'postline_sender_retries_total',
    () =>
      new Counter({ name: 'postline_sender_retries_total', help: 'SendEmail retries scheduled', labelNames: ['kind'] }),
  );

/** 1 while SES refuses all sending and the sender holds every email back. */
export const senderPaused = () =>
  metric(
    'postline_sender_paused',
    () => new Gauge({ name: 'postline_sender_paused', help: '1 while sending is paused', labelNames: ['reason'] }),
  );

export const senderPauses = () =>
  metric(
    'postline_sender_pauses_total',
    () =>
      new Counter({ name: 'postline_sender_pauses_total', help: 'Times the sender paused', labelNames: ['reason'] }),
  );

export const maxSendRate = () =>
  metric(
    'postline_sender_max_send_rate',
    () =>
      new Gauge({
        name: 'postline_sender_max_send_rate',
        help: 'Emails per second allowed to all sender replicas together',
      }),
  );

/**
 * From the send job's creation (the relay moves it to the queue right after acceptance; later only after a
 * Redis outage) to SENT, retries and rate-limit waits included: what a backlog costs the customer.
 */
export const acceptToSent = () =>
  metric(
    'postline_accept_to_sent_seconds',
    () =>
      new Histogram({
        name: 'postline_accept_to_sent_seconds',
        help: 'Latency from acceptance (the send job created) to SENT',
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      }),
  );

/** Scheduled emails the due pass moved to QUEUED. */
export const scheduledReleased = () =>
  metric(
    'postline_scheduled_emails_released_total',
    () =>
      new Counter({
        name: 'postline_scheduled_emails_released_total',
        help: 'SCHEDULED emails released to QUEUED once their sendAt came',
      }),
  );
