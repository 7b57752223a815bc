import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { assertSnsUrl, type SnsSubscriptionMessage, SnsVerificationError } from '@postline/ses';
import type { Env } from '../env';
import { SnsTopicAllowList } from './sns-topic-allow-list';

/** SNS could not be reached to confirm a subscription; SNS sends the confirmation again after a 5xx. */
export class SubscriptionConfirmationError extends Error {
  override readonly name = 'SubscriptionConfirmationError';
}

/**
 * Confirms an SNS subscription by visiting its SubscribeURL, only for a topic listed in SNS_TOPIC_ARNS and once
 * that URL is known to be SNS's own.
 */
@Injectable()
export class SubscriptionConfirmer {
  private readonly logger = new Logger(SubscriptionConfirmer.name);
  private readonly timeoutMs: number;

  constructor(
    config: ConfigService<Env, true>,
    private readonly topics: SnsTopicAllowList,
  ) {
    this.timeoutMs = config.get('SNS_FETCH_TIMEOUT_MS', { infer: true });
  }

  /** Throws when SNS did not answer 200 in time: the caller answers 5xx and SNS sends the confirmation again. */
  async confirm(message: SnsSubscriptionMessage): Promise<void> {
    // Confirming would let that topic's owner (any AWS account) publish to us for good.
    if (!this.topics.has(message.TopicArn))
      throw new SnsVerificationError(`topic ${message.TopicArn} is not in SNS_TOPIC_ARNS: subscription not confirmed`);
    const url = assertSnsUrl(message.SubscribeURL, message.TopicArn, 'SubscribeURL');
    let status: number;
    try {
      const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body?.cancel();
      status = response.status;
    } catch (error) {
      throw new SubscriptionConfirmationError(`SubscribeURL unreachable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (status !== 200) throw new SubscriptionConfirmationError(`SubscribeURL answered ${status}`);
    this.logger.log({ topicArn: message.TopicArn }, 'SNS subscription confirmed');
  }
}
