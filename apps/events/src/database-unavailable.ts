import { isDatabaseUnavailable } from '@postline/database';

/**
 * isDatabaseUnavailable for any thrown value. The shared check starts with `instanceof Error`, which socket
 * errors raised by Node itself (ECONNREFUSED from pg) fail inside jest's sandbox; the code and message decide.
 */
export function databaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return isDatabaseUnavailable(Object.assign(new Error(typeof message === 'string' ? message : ''), { code }));
}
