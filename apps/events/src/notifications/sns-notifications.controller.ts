import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { isDatabaseUnavailable } from '@postline/database';
import { ApiError, ErrorCode } from '@postline/http';
import { SnsCertificateUnavailableError, SnsVerificationError } from '@postline/ses';
import { type SnsResult, SnsNotificationsService } from './sns-notifications.service';
import { SubscriptionConfirmationError } from './subscription-confirmer.service';

/**
 * The HTTPS endpoint of the SNS topic that is the event destination of the SES configuration set. SNS sends
 * `Content-Type: text/plain`; the app parses that as JSON (configure-app.ts). A 2xx tells SNS to stop
 * retrying, so it is only sent once the notification is durable; 403 refuses it for good; 5xx asks for it again.
 */
@Controller('ses')
export class SnsNotificationsController {
  constructor(private readonly notifications: SnsNotificationsService) {}

  @Post('notifications')
  @HttpCode(HttpStatus.OK)
  async receive(@Body() body: unknown): Promise<{ result: SnsResult }> {
    try {
      return { result: await this.notifications.receive(body) };
    } catch (error) {
      if (error instanceof SnsVerificationError)
        throw new ApiError(HttpStatus.FORBIDDEN, 'SNS_VERIFICATION_FAILED', error.message);
      if (error instanceof SnsCertificateUnavailableError) {
        throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.ServiceUnavailable, error.message);
      }
      if (isDatabaseUnavailable(error)) {
        throw new ApiError(
          HttpStatus.SERVICE_UNAVAILABLE,
          ErrorCode.ServiceUnavailable,
          'The notification could not be stored; retry later',
        );
      }
      if (error instanceof SubscriptionConfirmationError)
        throw new ApiError(HttpStatus.BAD_GATEWAY, 'SNS_CONFIRMATION_FAILED', error.message);
      throw error;
    }
  }
}
