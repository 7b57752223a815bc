import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { meta } from '@postline/http';
import type { FastifyInstance } from 'fastify';
import { separateAdminRoutes } from './admin-port';
import { consoleDir, serveConsole } from './console';
import type { Env } from './env';
import { answerMethodNotAllowed } from './method-not-allowed';
import { setupSwagger } from './swagger';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Gateway-specific HTTP setup shared by main.ts and tests. The API takes JSON only; the unsubscribe pages
 * also take the form body of RFC 8058 one-click (parsed by the Fastify adapter itself). With `adminPort`, the
 * admin API and /metrics are served only on that port (listenAdminPort). The web console, when built, is at
 * /console/ (console.ts).
 */
export function configureGateway(app: NestFastifyApplication, swaggerUi = true, adminPort?: number): void {
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
  if (adminPort !== undefined) separateAdminRoutes(app);
  serveConsole(fastify, consoleDir(app.get(ConfigService<Env, true>).get('CONSOLE_DIR', { infer: true })));
  answerMethodNotAllowed(fastify);
  setupSwagger(app, swaggerUi);
}
