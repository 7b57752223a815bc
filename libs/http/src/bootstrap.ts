import { type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { requestIdOf } from './envelope';
import { EnvelopeFastifyAdapter } from './envelope-adapter';
import { bindRequestLogs } from './logger.module';
import { collectProcessMetrics, instrumentHttp } from './metrics';
import { refuseUnstorableText } from './storable-text';

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
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  bindRequestLogs(app);
  collectProcessMetrics();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  instrumentHttp(fastify);
  refuseUnstorableText(fastify);
  await options.configure?.(app);
  app.enableShutdownHooks();
  return app;
}

export async function listen(app: INestApplication, port: number): Promise<void> {
  await app.listen(port, '0.0.0.0');
}
