import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createHttpApp, listen } from '@postline/http';
import { AppModule } from './app.module';
import type { Env } from './env';

/** The webhook worker: delivers due WebhookDelivery rows; its HTTP side serves only /health and /metrics. */
async function bootstrap(): Promise<void> {
  const app = await createHttpApp(AppModule);
  await listen(app, app.get(ConfigService<Env, true>).get('PORT', { infer: true }));
}

void bootstrap();
