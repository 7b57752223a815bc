import { createHash } from 'node:crypto';
import { type SesEventRecord, signSnsEnvelope, type SnsEnvelope } from '@postline/ses';
import type { SigningMaterial } from './signing-material';

export interface PosterOptions {
  eventsUrl: string;
  topicArn: string;
  region: string;
  signing: SigningMaterial;
  timeoutMs?: number;
}

export type PostResult = 'accepted' | 'refused' | 'unavailable';

/** A UUID derived from the event, so a replayed message gets the SNS MessageId it had (the events service drops it). */
export function snsMessageIdOf(record: SesEventRecord, recipient: string): string {
  const hex = createHash('sha256')
    .update(`${record.mail.messageId}|${record.mail.tags?.email_id?.[0] ?? ''}|${recipient}|${record.eventType}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Wraps SES event records in SNS envelopes signed with the local key, and POSTs them like SNS does. */
export class NotificationPoster {
  private readonly url: string;

  constructor(private readonly options: PosterOptions) {
    const url = new URL(options.eventsUrl);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/ses/notifications';
    this.url = url.toString();
  }

  envelope(record: SesEventRecord, recipient: string): SnsEnvelope {
    return signSnsEnvelope(
      {
        Type: 'Notification',
        MessageId: snsMessageIdOf(record, recipient),
        TopicArn: this.options.topicArn,
        Message: JSON.stringify(record),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        SigningCertURL: this.options.signing.certUrl(this.options.region),
        UnsubscribeURL: `https://sns.${this.options.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${this.options.topicArn}:local`,
      },
      this.options.signing.privateKey,
    );
  }

  /** `unavailable` (network error, 5xx) is worth retrying; `refused` (4xx) is not. */
  async post(envelope: SnsEnvelope): Promise<{ result: PostResult; status?: number; detail?: string }> {
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'text/plain; charset=UTF-8',
          'user-agent': 'Amazon Simple Notification Service Agent',
          'x-amz-sns-message-type': envelope.Type,
          'x-amz-sns-message-id': envelope.MessageId,
          'x-amz-sns-topic-arn': envelope.TopicArn,
        },
        body: JSON.stringify(envelope),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      const detail = await response.text();
      if (response.ok) return { result: 'accepted', status: response.status };
      return {
        result: response.status >= 500 ? 'unavailable' : 'refused',
        status: response.status,
        detail: detail.slice(0, 300),
      };
    } catch (error) {
      return { result: 'unavailable', detail: (error as Error).message };
    }
  }
}
