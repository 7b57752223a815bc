import { isDatabaseUnavailable } from './pg-pool';

/**
 * SQLSTATEs of a transaction that lost to another one and was rolled back whole: deadlock_detected,
 * serialization_failure, lock_not_available. Nothing in the data is wrong; the same work can simply run again.
 */
export const TRANSACTION_CONFLICT_CODES: ReadonlySet<string> = new Set(['40P01', '40001', '55P03']);

/** A transaction conflict (TRANSACTION_CONFLICT_CODES): retry soon, the other transaction is done by then. */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSACTION_CONFLICT_CODES.has(code);
}

/**
 * An error that says nothing about the job: Postgres away (`isDatabaseUnavailable`, retry once it is back)
 * or a transaction conflict (retry soon). Anything else is the job's own.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  return isDatabaseUnavailable(error) || isTransactionConflict(error);
}
