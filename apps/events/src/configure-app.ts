import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * SNS posts its JSON with `Content-Type: text/plain; charset=UTF-8`: parse that as JSON (with Fastify's own
 * JSON parser, which refuses prototype poisoning). Nothing in this app takes real plain text.
 */
export function configureEvents(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser('text/plain', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
}
