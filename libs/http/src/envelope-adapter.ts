import { FastifyAdapter, RouteConfig } from '@nestjs/platform-fastify';
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyServerOptions } from 'fastify';
import { meta, REQUEST_ID_HEADER } from './envelope';

const RAW_RESPONSE = 'postlineRawResponse';

/** Marks a handler whose response is sent as is (HTML pages, CSV, Prometheus text). */
export const RawResponse = (): MethodDecorator => RouteConfig({ [RAW_RESPONSE]: true });

/**
 * Wraps every JSON response of a handler as `{ meta: { timestamp, transactionId }, data }` (DESIGN §3) and
 * answers every request with its id in `x-request-id`. Nest hands each handler's result to `reply()`, so
 * the envelope is put on here rather than by an interceptor: Nest runs interceptors through rxjs and two
 * AsyncResource bindings per request, which cost the gateway about 6 % of its CPU. Bodies of errors (status
 * 400 and above) are left as they are: AllExceptionsFilter sends its own envelope.
 */
export class EnvelopeFastifyAdapter extends FastifyAdapter {
  constructor(options: FastifyServerOptions) {
    super(options);
    this.getInstance().addHook('onRequest', (request, reply, done) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      done();
    });
  }

  override reply(response: FastifyReply | ServerResponse, body: unknown, statusCode?: number): FastifyReply {
    return super.reply(response, this.isEnveloped(response, statusCode) ? envelope(response, body) : body, statusCode);
  }

  private isEnveloped(response: FastifyReply | ServerResponse, statusCode?: number): response is FastifyReply {
    // Nest passes a raw ServerResponse only from outside a route (errors of middleware).
    if (!('request' in response)) return false;
    const config = response.request.routeOptions.config as { [RAW_RESPONSE]?: boolean };
    return (statusCode ?? response.statusCode) < 400 && config[RAW_RESPONSE] !== true;
  }
}

function envelope(reply: FastifyReply, data: unknown) {
  return { meta: meta(reply.request.id), data };
}
