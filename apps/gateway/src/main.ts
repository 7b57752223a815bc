import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { loadEnv } from '@postline/config';
import { createHttpApp, listen } from '@postline/http';
import { listenAdminPort } from './admin-port';
import { AppModule } from './app.module';
import { configureGateway } from './configure-app';
import { Env } from './env';

async function bootstrap(): Promise<void> {
  // The body limit is an option of the HTTP adapter, which exists before the app and its ConfigService.
  const { MAX_BODY_BYTES } = loadEnv(Env);
  const app = await createHttpApp(AppModule, {
    bodyLimit: MAX_BODY_BYTES,
    configure: (a) => {
      const config = a.get(ConfigService<Env, true>);
      configureGateway(a, config.get('SWAGGER_ENABLED', { infer: true }), config.get('ADMIN_PORT', { infer: true }));
    },
  });
  const config = app.get(ConfigService<Env, true>);
  await listen(app, config.get('PORT', { infer: true }));
  const adminPort = config.get('ADMIN_PORT', { infer: true });
  if (adminPort !== undefined) await listenAdminPort(app, adminPort);
}

void bootstrap();
