import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Boots an app module as its main.ts would (Fastify, envelope, filters) without listening; use
 * `supertest(app.getHttpServer())` or `app.inject()`.
 */
export async function createTestApp(
  module: Type,
  configure?: (app: NestFastifyApplication) => void | Promise<void>,
): Promise<NestFastifyApplication> {
  // Imported lazily so that unit tests importing this lib do not load the HTTP stack.
  const { createHttpApp } = await import('@postline/http');
  const app = await createHttpApp(module, { configure });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
