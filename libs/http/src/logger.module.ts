import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BaseEnv } from '@postline/config';
import { LoggerModule } from 'nestjs-pino';

type WithId = IncomingMessage & { id?: string };

/**
 * JSON logs; every line logged while serving a request carries its `transactionId` (the x-request-id).
 * Requests are not logged one by one (at thousands a second that costs a tenth of the CPU and drowns the
 * rest): failures are, by AllExceptionsFilter, and /metrics counts the others. Headers are never logged, so
 * API keys cannot leak into logs.
 */
export function loggerModule(app: string): DynamicModule {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<BaseEnv, true>) => ({
      pinoHttp: {
        level: config.get('LOG_LEVEL', { infer: true }),
        base: { app },
        genReqId: (req: IncomingMessage) => (req as WithId).id ?? randomUUID(),
        customProps: (req: IncomingMessage) => ({ transactionId: (req as WithId).id }),
        quietReqLogger: true,
        autoLogging: false,
        serializers: {
          req: (req: WithId) => ({ id: req.id, method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
      },
    }),
  });
}
