import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { requestIdOf } from './envelope';
import { EnvelopeFastifyAdapter } from './envelope-adapter';
import { bindRequestLogs } from './logger.module';
import { collectProcessMetrics, instrumentHttp } from './metrics';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Extra setup before listening (content-type parsers, Swagger, …). */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/** Creates a Nest app on Fastify with request ids, metrics and JSON logs; used by every main.ts and by tests. */
export async function createHttpApp(module: Type, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new EnvelopeFastifyAdapter({
    genReqId: requestIdOf,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
    // Fastify answers a longer path parameter (default 100) with a 414 of its own, outside the error envelope;
    // Node's limit on the request line (16 KiB with the headers) bounds it anyway.
    routerOptions: { maxParamLength: 16 * 1024 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  bindRequestLogs(app);
  collectProcessMetrics();
  instrumentHttp(app.getHttpAdapter().getInstance() as unknown as FastifyInstance);
  await options.configure?.(app);
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number): Promise<void> {
  await app.listen(port, '0.0.0.0');
}
