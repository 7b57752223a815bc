import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '@postline/database';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ErrorCode } from './api-error';
import { type ErrorBody, meta, REQUEST_ID_HEADER } from './envelope';
import { redactUrl } from './redact-url';

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  503: ErrorCode.ServiceUnavailable,
};

const RETRY_AFTER_SECONDS = '5';

/** Every error leaves as `{ meta, error: { code, message, details? } }`; a 500 never leaks internals. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, error } = this.describe(exception, request.id);
    if (status < 500) {
      // Client errors are logged once, here (requests are not logged one by one); 5xx were logged in describe().
      this.logger.warn(
        { requestId: request.id, method: request.method, url: redactUrl(request.url), status, code: error.code },
        error.message,
      );
    }
    if (exception instanceof ApiError && exception.headers) void reply.headers(exception.headers);
    // RFC 9110 §11.6.1: a 401 names the scheme it wants.
    if (status === HttpStatus.UNAUTHORIZED) void reply.header('www-authenticate', 'Bearer realm="postline"');
    // A 503 is an outage (Postgres, Redis, SES) that passes: say when to come back.
    if (status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', RETRY_AFTER_SECONDS);
    void reply
      .status(status)
      .header(REQUEST_ID_HEADER, request.id)
      .send({ meta: meta(request.id), error });
  }

  private describe(exception: unknown, requestId: string): { status: number; error: ErrorBody } {
    if (exception instanceof ApiError) {
      return {
        status: exception.getStatus(),
        error: { code: exception.code, message: exception.message, details: exception.details },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'string'
          ? response
          : Array.isArray((response as { message?: unknown }).message)
            ? (response as { message: string[] }).message.join('; ')
            : String((response as { message?: unknown }).message ?? exception.message);
      return { status, error: { code: CODE_BY_STATUS[status] ?? `HTTP_${status}`, message } };
    }
    // Fastify's own errors (bad JSON, body too large, wrong content type) carry a statusCode.
    const fastifyStatus = (exception as { statusCode?: number } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      const code = fastifyStatus === 400 ? 'INVALID_JSON' : (CODE_BY_STATUS[fastifyStatus] ?? `HTTP_${fastifyStatus}`);
      return { status: fastifyStatus, error: { code, message } };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, err: exception }, 'database unavailable');
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        error: { code: ErrorCode.ServiceUnavailable, message: 'The service is temporarily unavailable; retry later' },
      };
    }
    this.logger.error({ requestId, err: exception }, 'unhandled error');
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      error: { code: ErrorCode.Internal, message: `Internal error; quote request id ${requestId}` },
    };
  }
}
