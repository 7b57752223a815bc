import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorBody, ErrorDetail } from './envelope';

/** Error codes shared by every app's HTTP API (`error.code`). */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInProgress: 'IDEMPOTENCY_KEY_IN_PROGRESS',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An HTTP error with a stable code and optional per-field details. */
export class ApiError extends HttpException {
  /** Response headers that go with this error (Retry-After, …); AllExceptionsFilter sends them. */
  headers?: Record<string, string>;

  constructor(
    status: HttpStatus,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message, status);
  }

  withHeaders(headers: Record<string, string>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }

  static validation(details: ErrorDetail[]): ApiError {
    const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return new ApiError(HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed, message || 'Invalid request', details);
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, ErrorCode.NotFound, `${what} not found`);
  }
}
