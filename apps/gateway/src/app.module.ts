import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { ReputationEnv } from '@postline/account-reputation';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { EmailsModule } from './emails/emails.module';
import { Env } from './env';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { ReportsModule } from './reports/reports.module';
import { ReputationModule } from './reputation/reputation.module';
import { SendersModule } from './senders/senders.module';
import { SuppressionsModule } from './suppressions/suppressions.module';
import { TemplatesModule } from './templates/templates.module';
import { UnsubscribeModule } from './unsubscribe/unsubscribe.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The gateway: infrastructure, then one module per feature (each imports the features it needs). */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env, ReputationEnv) }),
    loggerModule('gateway'),
    DatabaseModule,
    QueueModule.forRoot(),
    HttpBasicsModule,
    EmailsModule,
    TemplatesModule,
    SendersModule,
    SuppressionsModule,
    WebhooksModule,
    AccountModule,
    ApiKeysModule,
    ReportsModule,
    ReputationModule,
    UnsubscribeModule,
    AdminModule,
    RateLimitsModule,
  ],
})
export class AppModule {}
