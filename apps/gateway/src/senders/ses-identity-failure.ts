import { HttpStatus } from '@nestjs/common';
import { ApiError, ErrorCode } from '@postline/http';
import { SesIdentityError } from '@postline/ses';

/** Turns an SES identity API failure into the HTTP error the caller sees; anything else is rethrown. */
export function sesFailureToApiError(error: unknown): never {
  if (!(error instanceof SesIdentityError)) throw error;
  switch (error.kind) {
    case 'invalid':
      throw new ApiError(HttpStatus.BAD_REQUEST, 'SES_REJECTED', error.message);
    case 'throttled':
      throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, 'SES_THROTTLED', `${error.message}; try again shortly`);
    case 'limit':
      throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, 'SES_LIMIT_EXCEEDED', error.message);
    case 'conflict':
      throw new ApiError(HttpStatus.CONFLICT, ErrorCode.Conflict, error.message);
    case 'unavailable':
      throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.ServiceUnavailable, `${error.message}; try again`);
  }
}
