import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import { LoggerModule } from 'nestjs-pino';

/** JSON logs; every line logged while serving a request carries its `transactionId`. */
export function loggerModule(app: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<BaseEnv, true>) => ({
      pinoHttp: {
        level: config.get('LOG_LEVEL', { infer: true }),
        base: { app },
        genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
        // Every line logged while serving a request carries its transactionId (the x-request-id).
        customProps: (req: IncomingMessage) => ({ transactionId: (req as IncomingMessage & { id?: string }).id }),
        quietReqLogger: true,
        // Successful requests are logged at debug: at thousands of requests a second, info would drown the rest.
        customLogLevel: (_req, res, err) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug',
        redact: ['req.headers.authorization', 'req.headers["idempotency-key"]'],
      },
    }),
  });
}
