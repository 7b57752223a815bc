import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiEnvelopeResponse, ApiErrorResponses } from '@postline/http';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { AccountNotificationPageView } from './dto/account-notification-page.view';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 503)
@UseGuards(ApiKeyGuard)
@Controller('account/notifications')
export class AccountNotificationsController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Get()
  @ApiOperation({
    summary: 'The delivery log of the account’s notifications',
    description:
      'Account notifications (`account.reputation.*`, `account.webhook-target.failing`) POSTed to the account’s ' +
      '`notificationUrl`, signed and retried like callbacks: one entry per notification with every attempt, newest ' +
      'first. Pass `nextCursor` as `cursor` for the next page; replay one with POST /webhook-deliveries/{id}/retry.',
  })
  @ApiEnvelopeResponse(AccountNotificationPageView)
  list(@CurrentCaller() caller: Caller, @Query() query: ListNotificationsQuery): Promise<AccountNotificationPageView> {
    return this.deliveries.listNotifications(caller.accountId, query.limit, query.cursor);
  }
}
