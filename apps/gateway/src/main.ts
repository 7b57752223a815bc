import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createHttpApp, listen } from '@postline/http';
import { listenAdminPort } from './admin-port';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';
import type { Env } from './env';

async function bootstrap(): Promise<void> {
  const app = await createHttpApp(AppModule, {
    bodyLimit: Number(process.env.MAX_BODY_BYTES ?? 16 * 1024 * 1024),
    configure: (a) =>
      configureGateway(
        a,
        process.env.SWAGGER_ENABLED !== 'false',
        a.get(ConfigService<Env, true>).get('ADMIN_PORT', { infer: true }),
      ),
  });
  const config = app.get(ConfigService<Env, true>);
  await listen(app, config.get('PORT', { infer: true }));
  const adminPort = config.get('ADMIN_PORT', { infer: true });
  if (adminPort !== undefined) await listenAdminPort(app, adminPort);
}

void bootstrap();
