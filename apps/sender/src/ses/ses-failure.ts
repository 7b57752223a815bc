/**
 * What a failed SendEmail means for the email:
 * - `throttled`, `unavailable`: SES answered that it did not take the message now (429, 5xx): retry later.
 * - `not-reached`: the call never reached SES (no connection): retry later.
 * - `ambiguous`: the call may have reached SES (timed out or cut off after it was sent, or an unreadable
 *   2xx): never resend blindly; wait for the SES Send event instead.
 * - `rejected`: SES refused this message for good (MessageRejected, bad request): NOT_SENT.
 * - `bad-from`: the MAIL FROM domain is not verified: BAD_FROM.
 * - `paused`: SES refuses every message of the account (sending paused, account suspended, credentials
 *   or configuration refused): pause the whole sender, keep the emails queued.
 */
export type SesFailureKind =
  'throttled' | 'unavailable' | 'not-reached' | 'ambiguous' | 'rejected' | 'bad-from' | 'paused';

export interface SesFailure {
  kind: SesFailureKind;
  /** SES error code or Node error code. */
  code: string;
  message: string;
  httpStatus?: number;
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
]);
const PAUSING = new Set([
  'SendingPausedException',
  'AccountSuspendedException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  // The configuration set or identity named in the request does not exist: a deployment problem, not the email's.
  'NotFoundException',
]);
// Errors raised before any byte of the request could reach SES.
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
}

export function classifySesError(error: unknown): SesFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const name = e.name ?? 'Error';
  const message = (e.message ?? String(error)).slice(0, 500);
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

  if (status !== undefined) {
    // SES answered. A 2xx that could not be read may well be an accepted message.
    if (status >= 200 && status < 300) return { kind: 'ambiguous', code: name, message, httpStatus: status };
    if (name === 'MailFromDomainNotVerifiedException')
      return { kind: 'bad-from', code: name, message, httpStatus: status };
    if (PAUSING.has(name) || status === 401 || status === 403)
      return { kind: 'paused', code: name, message, httpStatus: status };
    if (THROTTLING.has(name) || status === 429) return { kind: 'throttled', code: name, message, httpStatus: status };
    if (status >= 500) return { kind: 'unavailable', code: name, message, httpStatus: status };
    return { kind: 'rejected', code: name, message, httpStatus: status };
  }

  // The SDK may wrap a socket error it does not recognise as an Error, keeping only its text.
  const code = e.code ?? /\b(?:connect|getaddrinfo) (E[A-Z]+)\b/.exec(message)?.[1] ?? name;
  // No credentials found: nothing was sent, and no email will go out until an operator fixes it.
  if (name === 'CredentialsProviderError') return { kind: 'paused', code: name, message };
  if (NOT_CONNECTED.has(code) || NOT_CONNECTED.has(name)) return { kind: 'not-reached', code, message };
  // The SDK's connect timeout: the socket never connected, so nothing was sent.
  if (name === 'TimeoutError' && /did not establish a connection/i.test(message))
    return { kind: 'not-reached', code: 'ConnectTimeout', message };
  // Request timeouts, resets and hang-ups after connecting: the request may have been read by SES.
  return { kind: 'ambiguous', code, message };
}

/** The email's statusReason for a failure. */
export function describeSesFailure(failure: SesFailure): string {
  return `SES ${failure.code}${failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : ''}: ${failure.message}`;
}
