import { Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { WebhookDeliveryView } from './dto/webhook-delivery.view';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 404, 503)
@UseGuards(ApiKeyGuard)
@Controller('webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Replay a callback or account notification delivery now',
    description:
      'Queues one more attempt at once, with the same `webhook-id`, whatever the delivery’s state (exhausted, gone, ' +
      'waiting for its next retry, or succeeded). If it fails, the remaining retries of the schedule (if any) follow.',
  })
  @ApiEnvelopeResponse(WebhookDeliveryView, { status: 202, description: 'The delivery, now PENDING' })
  retry(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Webhook delivery') })) id: string,
  ) {
    return this.deliveries.retry(caller.accountId, id);
  }
}
