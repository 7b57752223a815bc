import { type INestApplication, Logger as NestLogger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BaseEnv, loadEnv } from '@postline/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import { requestIdOf } from './envelope';
import { EnvelopeFastifyAdapter } from './envelope-adapter';
import { bindRequestLogs } from './logger.module';
import { collectProcessMetrics, instrumentHttp } from './metrics';
import { refuseUnstorableText } from './storable-text';
import { trustProxySetting } from './trust-proxy';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Extra setup before listening (content-type parsers, Swagger, …). */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/** Creates a Nest app on Fastify with request ids, metrics and JSON logs; used by every main.ts and by tests. */
export async function createHttpApp(module: Type, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  // The adapter exists before the app and its ConfigService: the shared settings are validated here too.
  const { TRUST_PROXY } = loadEnv(BaseEnv);
  const adapter = new EnvelopeFastifyAdapter({
    genReqId: requestIdOf,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: trustProxySetting(TRUST_PROXY),
    // Fastify answers a longer path parameter (default 100) with a 414 of its own, outside the error envelope;
    // Node's limit on the request line (16 KiB with the headers) bounds it anyway.
    routerOptions: { maxParamLength: 16 * 1024 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  bindRequestLogs(app);
  collectProcessMetrics();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  instrumentHttp(fastify);
  refuseUnstorableText(fastify);
  await options.configure?.(app);
  return app;
}

/** Serves the app and stops it cleanly on SIGTERM or SIGINT (main.ts only: tests close their apps themselves). */
export async function listen(app: INestApplication, port: number): Promise<void> {
  closeOnSignals(app);
  await app.listen(port, '0.0.0.0');
}

/**
 * Nest's enableShutdownHooks re-raises the signal once the app closed, so a clean drain ends with exit code
 * 143, which an orchestrator reads as a crash. Here the app closes (workers drain, the outbox relay makes its
 * last pass) and the process exits 0; 1 only if closing failed. A second signal exits at once.
 */
function closeOnSignals(app: INestApplication): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        new NestLogger('Shutdown').error(`shutdown after ${signal} failed: ${String(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
