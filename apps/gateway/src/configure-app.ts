import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { meta } from '@postline/http';
import type { FastifyInstance } from 'fastify';
import { answerMethodNotAllowed } from './method-not-allowed';
import { refuseNul } from './refuse-nul';
import { setupSwagger } from './swagger';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Gateway-specific HTTP setup shared by main.ts and tests. The API takes JSON only; the unsubscribe pages
 * also take the form body of RFC 8058 one-click (parsed by the Fastify adapter itself).
 */
export function configureGateway(app: NestFastifyApplication, swaggerUi = true): void {
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => {
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    const type = request.headers['content-type'] ?? '';
    if (
      !BODY_METHODS.has(request.method) ||
      !hasBody ||
      /^application\/json\b/i.test(type) ||
      request.url.startsWith('/unsubscribe/')
    ) {
      done();
      return;
    }
    void reply
      .status(400)
      .header('x-request-id', request.id)
      .send({
        meta: meta(request.id),
        error: {
          code: 'INVALID_JSON',
          message: `The body must be JSON sent with Content-Type: application/json (got "${type || 'none'}")`,
        },
      });
  });
  answerMethodNotAllowed(fastify);
  refuseNul(fastify);
  setupSwagger(app, swaggerUi);
}
