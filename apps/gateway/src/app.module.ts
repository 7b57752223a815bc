import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { EmailLedgerModule } from '@postline/email-ledger';
import { AccountReputationModule } from '@postline/account-reputation';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { AccountController } from './account/account.controller';
import { AccountsService } from './admin/accounts.service';
import { AdminController } from './admin/admin.controller';
import { ApiKeysAdminController } from './api-keys/api-keys-admin.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AdminGuard } from './auth/admin.guard';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyService } from './auth/api-key.service';
import { KeyChanges } from './auth/key-changes.service';
import { AcceptanceBatcher } from './emails/acceptance-batcher.service';
import { EmailsController } from './emails/emails.controller';
import { EmailsService } from './emails/emails.service';
import { ScheduledEmailsController } from './emails/scheduled-emails.controller';
import { dnsResolverProvider } from './emails/mx/dns-resolver.provider';
import { RecipientDomainCheck } from './emails/mx/recipient-domain-check.service';
import { Env } from './env';
import { IdempotencyService } from './idempotency/idempotency.service';
import { AuthFailureLimiter } from './rate-limits/auth-failure-limiter.service';
import { RateLimitsAdminController } from './rate-limits/rate-limits-admin.controller';
import { RateLimits } from './rate-limits/rate-limits.service';
import { GatewayRedis } from './redis/gateway-redis.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { ReputationAdminController } from './reputation/reputation-admin.controller';
import { ReputationAdminService } from './reputation/reputation-admin.service';
import { ReputationViewService } from './reputation/reputation-view.service';
import { ReputationController } from './reputation/reputation.controller';
import { AccountPolicyService } from './senders/account-policy.service';
import { IdentityStatusSync } from './senders/identity-status-sync.service';
import { IdentitySyncScheduler } from './senders/identity-sync-scheduler.service';
import { IdentitySyncProcessor } from './senders/identity-sync.processor';
import { SenderIdentitiesService } from './senders/sender-identities.service';
import { SendersAdminController } from './senders/senders-admin.controller';
import { SendersController } from './senders/senders.controller';
import { sesIdentitiesProvider } from './senders/ses-identities.provider';
import { SuppressionsController } from './suppressions/suppressions.controller';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesService } from './templates/templates.service';
import { UnsubscribeController } from './unsubscribe/unsubscribe.controller';
import { UnsubscribeService } from './unsubscribe/unsubscribe.service';
import { AccountNotificationsController } from './webhooks/account-notifications.controller';
import { EmailCallbacksController } from './webhooks/email-callbacks.controller';
import { WebhookDeliveriesController } from './webhooks/webhook-deliveries.controller';
import { WebhookDeliveriesService } from './webhooks/webhook-deliveries.service';
import { WebhookSecretController } from './webhooks/webhook-secret.controller';
import { WebhookSecretService } from './webhooks/webhook-secret.service';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env) }),
    loggerModule('gateway'),
    DatabaseModule,
    QueueModule.forRoot(),
    EmailLedgerModule,
    AccountReputationModule,
    HttpBasicsModule,
  ],
  controllers: [
    ReputationController,
    ReputationAdminController,
    EmailsController,
    ScheduledEmailsController,
    AdminController,
    ApiKeysController,
    ApiKeysAdminController,
    RateLimitsAdminController,
    AccountController,
    SendersController,
    SendersAdminController,
    SuppressionsController,
    TemplatesController,
    EmailCallbacksController,
    WebhookDeliveriesController,
    AccountNotificationsController,
    WebhookSecretController,
    ReportsController,
    UnsubscribeController,
  ],
  providers: [
    GatewayRedis,
    KeyChanges,
    ApiKeyService,
    ApiKeysService,
    RateLimits,
    AuthFailureLimiter,
    ApiKeyGuard,
    AdminGuard,
    AccountPolicyService,
    AccountsService,
    SenderIdentitiesService,
    sesIdentitiesProvider,
    IdentityStatusSync,
    IdentitySyncProcessor,
    IdentitySyncScheduler,
    dnsResolverProvider,
    RecipientDomainCheck,
    AcceptanceBatcher,
    EmailsService,
    IdempotencyService,
    ReportsService,
    ReputationViewService,
    ReputationAdminService,
    WebhookDeliveriesService,
    WebhookSecretService,
    UnsubscribeService,
    TemplatesService,
  ],
})
export class AppModule {}
