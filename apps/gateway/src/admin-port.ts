import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { meta } from '@postline/http';
import type { FastifyInstance } from 'fastify';

/** The admin API and the Prometheus endpoint: what ADMIN_PORT takes off the public port. */
const ADMIN_ROUTE = /^\/(admin|metrics)(\/|\?|$)/;
// On both ports: /health for probes; the console, which an operator opens on the admin port, a customer on the other.
const BOTH_PORTS = /^\/(health(\?|$)|console(\/|\?|$))/;
const VIA_ADMIN_PORT = Symbol('postline.viaAdminPort');

type Tagged = IncomingMessage & { [VIA_ADMIN_PORT]?: true };

const fastifyOf = (app: NestFastifyApplication) => app.getHttpAdapter().getInstance() as unknown as FastifyInstance;

/**
 * With ADMIN_PORT set, each port serves only its own routes (both serve /health, for probes, and the console):
 * anything else is answered 404 as an unknown route would be, so the public port does not even reveal the admin
 * API.
 * Must be called before the app is ready (it adds a hook).
 */
export function separateAdminRoutes(app: NestFastifyApplication): void {
  fastifyOf(app).addHook('onRequest', (request, reply, done) => {
    const viaAdminPort = (request.raw as Tagged)[VIA_ADMIN_PORT] === true;
    if (BOTH_PORTS.test(request.url) || ADMIN_ROUTE.test(request.url) === viaAdminPort) return done();
    void reply.status(404).send({
      meta: meta(request.id),
      error: { code: 'NOT_FOUND', message: `Cannot ${request.method} ${request.url.split('?')[0]}` },
    });
  });
}

/** Serves the same app on the admin port: a second listener handing its requests to the same Fastify. */
export async function listenAdminPort(app: NestFastifyApplication, port: number, host = '0.0.0.0'): Promise<Server> {
  const fastify = fastifyOf(app);
  const server = createServer((request, response) => {
    (request as Tagged)[VIA_ADMIN_PORT] = true;
    fastify.server.emit('request', request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
