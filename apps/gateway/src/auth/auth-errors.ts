import { HttpStatus } from '@nestjs/common';
import { ApiError } from '@postline/http';

export const AuthErrorCode = {
  ApiKeyMisplaced: 'API_KEY_MISPLACED',
  RateLimited: 'RATE_LIMITED',
} as const;

export function misplacedKeyError(where: string): ApiError {
  const message =
    'API keys are accepted only in the Authorization header (Authorization: Bearer <api key>); a key in a URL, ' +
    'another header or a body ends up in logs, so treat this one as exposed';
  return new ApiError(HttpStatus.BAD_REQUEST, AuthErrorCode.ApiKeyMisplaced, `${where}: ${message}`, [
    { field: where, message },
  ]);
}

export function unauthorized(message: string): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', message);
}

export function tooManyRequests(message: string, retryAfterSeconds?: number): ApiError {
  const error = new ApiError(HttpStatus.TOO_MANY_REQUESTS, AuthErrorCode.RateLimited, message);
  return retryAfterSeconds === undefined ? error : error.withHeaders({ 'retry-after': String(retryAfterSeconds) });
}
