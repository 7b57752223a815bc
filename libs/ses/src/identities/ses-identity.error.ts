/** Why an SES identity call failed, in terms a caller can act on. */
export type SesIdentityErrorKind =
  /** SES refused the request itself (BadRequestException): the identity or a parameter is invalid. */
  | 'invalid'
  /** Too many calls (TooManyRequestsException); retry later. */
  | 'throttled'
  /** An account quota is reached (LimitExceededException, e.g. the number of identities). */
  | 'limit'
  /** Another change to the same identity is in progress (ConcurrentModificationException). */
  | 'conflict'
  /** SES could not be reached or failed (network, timeout, 5xx). */
  | 'unavailable';

/** An SES identity API failure, classified; `cause` keeps the SDK error. */
export class SesIdentityError extends Error {
  constructor(
    readonly kind: SesIdentityErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SesIdentityError';
  }

  static from(operation: string, error: unknown): SesIdentityError {
    const name = errorName(error);
    const detail = error instanceof Error ? error.message : String(error);
    const kind: SesIdentityErrorKind =
      name === 'BadRequestException'
        ? 'invalid'
        : name === 'TooManyRequestsException'
          ? 'throttled'
          : name === 'LimitExceededException'
            ? 'limit'
            : name === 'ConcurrentModificationException'
              ? 'conflict'
              : 'unavailable';
    return new SesIdentityError(kind, `SES ${operation} failed: ${name ?? 'error'}: ${detail}`, { cause: error });
  }
}

/** The SDK's exception name (`NotFoundException`, …), or undefined for a non-service error. */
export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}
