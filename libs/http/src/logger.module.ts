import type { IncomingMessage } from 'node:http';
import { type DynamicModule, type INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import type { FastifyInstance } from 'fastify';
import { LoggerModule, type Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { storage, type Store } from 'nestjs-pino/storage';
import pino, { type DestinationStream, type LogFn, type Logger } from 'pino';
import { redactUrl } from './redact-url';

type WithId = IncomingMessage & { id?: string };

// Nest's start-up chatter (every module loaded, every route mapped) is for debugging, not for every start.
const START_UP_CHATTER = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * JSON logs; every line logged while serving a request carries its `transactionId` (the x-request-id), bound
 * by `bindRequestLogs`. Requests are not logged one by one (at thousands a second that costs a tenth of the
 * CPU and drowns the rest): failures are, by AllExceptionsFilter, and /metrics counts the others. Headers are
 * never logged, and URLs are logged with secrets in their query redacted (redactUrl), so API keys cannot leak into logs. `destination` is for tests (default: stdout).
 */
export function loggerModule(app: string, destination?: DestinationStream): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<BaseEnv, true>): Params => {
      const options = {
        level: config.get('LOG_LEVEL', { infer: true }),
        base: { app },
        hooks: {
          logMethod(this: Logger, args: Parameters<LogFn>, method: LogFn) {
            const context = (args[0] as { context?: unknown } | undefined)?.context;
            if (START_UP_CHATTER.has(context as string) && !this.isLevelEnabled('debug')) return;
            method.apply(this, args);
          },
        },
        serializers: {
          req: (req: WithId) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? '') }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      };
      return {
        pinoHttp: { logger: destination ? pino(options, destination) : pino(options) },
        // No pino-http middleware: bindRequestLogs gives each request its logger, and only when it logs.
        forRoutes: [],
      };
    },
  });
}

/**
 * nestjs-pino's per-request store, whose child logger is made on the first line logged: most requests log
 * nothing, and a child logger per request (pino-http made three) was a tenth of the gateway's CPU.
 */
class RequestLogStore implements Store {
  private child?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly transactionId: string,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.root.child({ transactionId: this.transactionId }));
  }

  /** PinoLogger.assign replaces it. */
  set logger(logger: Logger) {
    this.child = logger;
  }
}

const PROBES = new Set(['/health', '/metrics']);

/** Every line logged while a request is served carries its id as `transactionId` (see loggerModule). */
export function bindRequestLogs(app: INestApplication): void {
  const { pinoHttp } = app.get<Params>(PARAMS_PROVIDER_TOKEN);
  const root = (pinoHttp as { logger: Logger }).logger;
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, _reply, done) => {
    // Probes log nothing. Skipping them keeps AsyncLocalStorage off in the worker apps, whose only requests they
    // are: once on, its promise hooks stay on for good and make every await of a worker several times dearer.
    if (PROBES.has(request.url)) return done();
    storage.run(new RequestLogStore(root, request.id), done);
  });
}
