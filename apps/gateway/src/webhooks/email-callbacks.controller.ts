import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiError, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { WebhookDeliveryView } from './dto/webhook-delivery.view';
import { EmailStatusWebhookDataDoc, WEBHOOK_DELIVERY_DOC, WebhookEnvelopeDoc } from './dto/webhook-envelope.doc';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 404, 503)
@ApiExtraModels(WebhookEnvelopeDoc, EmailStatusWebhookDataDoc)
@UseGuards(ApiKeyGuard)
@Controller('emails')
export class EmailCallbacksController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get(':id/callbacks')
  @ApiOperation({
    summary: 'The delivery log of an email’s callbacks',
    description: `One entry per (event, URL) with every attempt: status code, latency, error, next retry. ${WEBHOOK_DELIVERY_DOC}`,
  })
  @ApiEnvelopeResponse([WebhookDeliveryView], { description: 'Oldest first' })
  list(
    @CurrentCaller() caller: Caller,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => ApiError.notFound('Email') })) id: string,
  ) {
    return this.deliveries.listForEmail(caller.accountId, id);
  }
}
