import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The gateway's OpenAPI document without a running gateway: Nest's preview mode reads the controllers and
 * creates no provider, so neither Postgres nor Redis is needed (used by `npm run sdk:generate` and tests).
 */
export async function buildGatewayDocument(): Promise<OpenAPIObject> {
  // The env validation still runs when the module is imported; these two have no default on purpose.
  process.env.ADMIN_API_KEY ??= 'document-only-admin-key';
  process.env.UNSUBSCRIBE_SECRET ??= 'document-only-unsubscribe-secret';
  const { AppModule } = await import('./app.module');
  const { createGatewayDocument } = await import('./swagger');
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { preview: true, logger: false });
  try {
    return createGatewayDocument(app);
  } finally {
    await app.close();
  }
}
