import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { validateEnv } from '@postline/config';
import { DatabaseModule } from '@postline/database';
import { HttpBasicsModule, loggerModule } from '@postline/http';
import { QueueModule } from '@postline/queue';
import { DeliveryPump } from './delivery/delivery-pump.service';
import { DeliveryStore } from './delivery/delivery-store.service';
import { TargetCircuits } from './delivery/target-circuits.service';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { Env } from './env';
import { WebhookHttpClient } from './http/webhook-http-client';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnv(Env) }),
    loggerModule('webhooks'),
    DatabaseModule,
    // No queue of its own (deliveries are claimed from Postgres); /health still reports Redis like every app.
    QueueModule.forRoot(),
    HttpBasicsModule,
  ],
  providers: [
    {
      provide: WebhookHttpClient,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new WebhookHttpClient({
          timeoutMs: config.get('WEBHOOK_TIMEOUT_MS', { infer: true }),
          bodyLimit: config.get('WEBHOOK_RESPONSE_BODY_LIMIT', { infer: true }),
          allowPrivateTargets: config.get('WEBHOOK_ALLOW_PRIVATE_TARGETS', { infer: true }),
        }),
    },
    TargetCircuits,
    DeliveryStore,
    WebhookDeliveryService,
    DeliveryPump,
  ],
})
export class AppModule {}
