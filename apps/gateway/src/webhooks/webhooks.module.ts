import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccountNotificationsController } from './account-notifications.controller';
import { EmailCallbacksController } from './email-callbacks.controller';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookSecretController } from './webhook-secret.controller';
import { WebhookSecretService } from './webhook-secret.service';

/** The webhook delivery log, replays and signing secret; the webhooks app delivers them. */
@Module({
  imports: [AuthModule],
  controllers: [
    EmailCallbacksController,
    WebhookDeliveriesController,
    AccountNotificationsController,
    WebhookSecretController,
  ],
  providers: [WebhookDeliveriesService, WebhookSecretService],
})
export class WebhooksModule {}
