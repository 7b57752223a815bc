import { Injectable, Logger } from '@nestjs/common';
import { storableText } from '@postline/http';
import {
  parseSesEventMessage,
  parseSnsEnvelope,
  SnsMessageType,
  type SnsNotification,
  SnsVerificationError,
  SnsVerifier,
} from '@postline/ses';
import { ReceiptWriter } from './receipt-writer.service';
import { snsMessages } from './sns-metrics';
import { SubscriptionConfirmer } from './subscription-confirmer.service';

export type SnsResult = 'accepted' | 'duplicate' | 'ignored' | 'subscription-confirmed' | 'unsubscribe-noted';

/** What `POST /ses/notifications` does with one SNS message once it is verified. */
@Injectable()
export class SnsNotificationsService {
  private readonly logger = new Logger(SnsNotificationsService.name);
  private readonly messages = snsMessages();

  constructor(
    private readonly verifier: SnsVerifier,
    private readonly receipts: ReceiptWriter,
    private readonly confirmer: SubscriptionConfirmer,
  ) {}

  async receive(body: unknown): Promise<SnsResult> {
    let type = 'unknown';
    try {
      const message = parseSnsEnvelope(body);
      type = message.Type;
      await this.verifier.verify(message);
      const result = await this.handle(message);
      this.messages.inc({ type, result });
      return result;
    } catch (error) {
      this.messages.inc({ type, result: error instanceof SnsVerificationError ? 'refused' : 'failed' });
      if (error instanceof SnsVerificationError)
        this.logger.warn({ reason: error.message, type }, 'SNS message refused');
      throw error;
    }
  }

  private async handle(message: ReturnType<typeof parseSnsEnvelope>): Promise<SnsResult> {
    switch (message.Type) {
      case SnsMessageType.Notification:
        return this.notification(message);
      case SnsMessageType.SubscriptionConfirmation:
        await this.confirmer.confirm(message);
        return 'subscription-confirmed';
      case SnsMessageType.UnsubscribeConfirmation:
        // Visiting its SubscribeURL would subscribe us again: an operator decides.
        this.logger.warn({ topicArn: message.TopicArn, messageId: message.MessageId }, 'SNS subscription removed');
        return 'unsubscribe-noted';
    }
  }

  private async notification(message: SnsNotification): Promise<SnsResult> {
    const parsed = parseSesEventMessage(message.Message);
    switch (parsed.kind) {
      case 'text':
        // SES's "Successfully validated SNS topic for Amazon SES event publishing." and similar notices.
        this.logger.log(
          { topicArn: message.TopicArn, text: message.Message.slice(0, 200) },
          'SNS text notice acknowledged',
        );
        return 'ignored';
      case 'unsupported':
        this.logger.warn(
          { topicArn: message.TopicArn, messageId: message.MessageId, reason: parsed.reason },
          'SNS notification ignored',
        );
        return 'ignored';
      case 'event': {
        const outcome = await this.receipts.store({
          messageId: message.MessageId,
          topicArn: message.TopicArn,
          // Signed by SNS, so kept: what Postgres cannot hold (U+0000, lone surrogates) becomes U+FFFD.
          record: storableText(parsed.record),
        });
        return outcome === 'stored' ? 'accepted' : 'duplicate';
      }
    }
  }
}
