import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createHttpApp, listen } from '@postline/http';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';
import type { Env } from './env';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp(AppModule, {
    bodyLimit: Number(process.env.MAX_BODY_BYTES ?? 16 * 1024 * 1024),
    configure: (a) => configureGateway(a, process.env.SWAGGER_ENABLED !== 'false'),
  });
  await listen(app, app.get(ConfigService<Env, true>).get('PORT', { infer: true }));
}

void bootstrap();
