import { fetchStoredMessages, type LocalSesMessage, recipientsOf } from './local-ses-store';
import { simulatedOutcome } from './mailbox-simulator';
import type { NotificationPoster } from './notification-poster';
import { outcomeEvents, type SesAccountContext, sendEvent } from './ses-event-factory';

export interface SimulatorLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface SimulatorOptions extends SesAccountContext {
  sesEndpoint: string;
  pollMs: number;
  /** Messages handled at the same time (each one's events are posted in order). */
  concurrency?: number;
}

export interface PollSummary {
  messages: number;
  notifications: number;
  pending: number;
}

const keyOf = (m: LocalSesMessage) =>
  `${m.at}|${m.messageId}|${m.headers?.map((h) => `${h.name}=${h.value}`).join(';') ?? ''}`;

/**
 * Dev-only stand-in for SES event publishing (DESIGN §7): turns each message `aws-ses-v2-local` accepted into
 * the Send event and the events the SES mailbox simulator would produce for its recipients, and delivers
 * them to the events service as signed SNS notifications. A message whose events could not all be delivered
 * (events service down) is tried again on the next poll; the events it already delivered are dropped there
 * as duplicates.
 */
export class SesEventsSimulator {
  private since = 0;
  private readonly done = new Map<string, number>();

  constructor(
    private readonly options: SimulatorOptions,
    private readonly poster: NotificationPoster,
    private readonly logger: SimulatorLogger,
  ) {}

  async pollOnce(): Promise<PollSummary> {
    const messages = (await fetchStoredMessages(this.options.sesEndpoint, this.since))
      .filter((m) => !this.done.has(keyOf(m)))
      .sort((a, b) => a.at - b.at);
    let notifications = 0;
    const unfinished: LocalSesMessage[] = [];
    const queue = [...messages];
    const worker = async () => {
      for (let message = queue.shift(); message; message = queue.shift()) {
        const sent = await this.deliver(message);
        if (sent === undefined) unfinished.push(message);
        else {
          notifications += sent;
          this.done.set(keyOf(message), message.at);
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));

    const latest = messages.reduce((max, m) => Math.max(max, m.at), this.since);
    this.since = unfinished.length > 0 ? Math.min(...unfinished.map((m) => m.at)) : latest;
    for (const [key, at] of this.done) if (at < this.since) this.done.delete(key);
    return { messages: messages.length - unfinished.length, notifications, pending: unfinished.length };
  }

  /** Polls until `signal` aborts; a failing poll (emulator not up yet) is retried on the next tick. */
  async run(signal: AbortSignal): Promise<void> {
    let failing = false;
    let reached = false;
    while (!signal.aborted) {
      try {
        const summary = await this.pollOnce();
        if (failing) this.logger.info({}, reached ? 'local SES reachable again' : 'local SES reached');
        failing = false;
        reached = true;
        if (summary.messages > 0 || summary.pending > 0) this.logger.info(summary, 'SES events delivered');
      } catch (error) {
        const detail = { err: (error as Error).message, sesEndpoint: this.options.sesEndpoint };
        // At start the emulator is usually still starting: that is expected, not a warning.
        if (!failing && reached) this.logger.warn(detail, 'local SES unreachable; retrying');
        else if (!failing) this.logger.info(detail, 'waiting for local SES to start');
        failing = true;
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, this.options.pollMs);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Posts the message's events in order; the number posted, or undefined when the events service was unavailable. */
  private async deliver(message: LocalSesMessage): Promise<number | undefined> {
    const recipients = recipientsOf(message);
    const records = [
      { record: sendEvent(message, this.options), recipient: recipients.join(',') },
      ...recipients.flatMap((recipient) =>
        outcomeEvents(message, recipient, simulatedOutcome(recipient), this.options).map((record) => ({
          record,
          recipient,
        })),
      ),
    ];
    for (const { record, recipient } of records) {
      const { result, status, detail } = await this.poster.post(this.poster.envelope(record, recipient));
      if (result === 'unavailable') {
        this.logger.warn({ messageId: message.messageId, status, detail }, 'events service unavailable; will retry');
        return undefined;
      }
      if (result === 'refused') {
        this.logger.error(
          { messageId: message.messageId, eventType: record.eventType, status, detail },
          'events service refused a notification',
        );
      }
    }
    return records.length;
  }
}
