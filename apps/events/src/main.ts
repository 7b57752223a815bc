import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createHttpApp, listen } from '@postline/http';
import { AppModule } from './app.module';
import { configureEvents } from './configure-app';
import type { Env } from './env';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp(AppModule, { configure: configureEvents });
  await listen(app, app.get(ConfigService<Env, true>).get('PORT', { infer: true }));
}

void bootstrap();
