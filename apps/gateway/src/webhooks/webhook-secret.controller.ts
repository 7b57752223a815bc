import { Controller, Get, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { WebhookSecretViewDoc } from './dto/webhook-secret.view';
import { WebhookSecretService } from './webhook-secret.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('account/webhook-secret')
export class WebhookSecretController {
  constructor(private readonly secrets: WebhookSecretService) {}

  @Get()
  @ApiOperation({
    summary: 'The account’s webhook signing secret',
    description:
      'A Standard Webhooks secret (`whsec_<base64>`): verify callbacks with any Standard Webhooks library. ' +
      '`previousSecret` is set while a rotated-out secret still signs beside the current one.',
  })
  @ApiEnvelopeResponse(WebhookSecretViewDoc)
  get(@CurrentCaller() caller: Caller) {
    return this.secrets.get(caller.accountId);
  }

  @Post('rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate the webhook signing secret',
    description:
      'The new secret signs from now on; the old one keeps signing beside it (two signatures in `webhook-signature`) ' +
      'for WEBHOOK_SECRET_OVERLAP_HOURS (24 h by default), so receivers can switch without losing a callback.',
  })
  @ApiEnvelopeResponse(WebhookSecretViewDoc)
  rotate(@CurrentCaller() caller: Caller) {
    return this.secrets.rotate(caller.accountId);
  }
}
