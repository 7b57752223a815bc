import { isTransactionConflict, type Sql, sql, withStatements } from '@postline/database';

/**
 * The ledger's one lock-free write, used by the sender's journal round only (`StatusRecorder.recordIfUnchanged`).
 * Why it exists: the journal round is the sender's hottest write, and this makes it two round trips (the read
 * and this statement) instead of six (BEGIN, SELECT … FOR UPDATE, the events, the write, COMMIT, a relay pass).
 * How: every statement of the write runs as ONE statement planned from rows read without a lock; `guarded`
 * updates only the emails whose version is still the one read and returns their ids, and the main query casts
 * (emails planned − emails written) to the `postline_unchanged_rows` domain, whose CHECK (= 0) fails when one
 * changed, so Postgres undoes the whole statement. Locking (`recordIn`) stays the rule: a refused write is made
 * again on that path.
 */
export function unchangedRowsWrite(guarded: Sql, planned: number, rest: readonly Sql[]): Sql {
  return withStatements(
    [guarded.as('written'), ...rest],
    sql`SELECT (${planned}::bigint - (SELECT count(*) FROM written))::"postline_unchanged_rows"`,
  );
}

/** The domain's constraint (migration `unchanged_rows_check`): a row read without a lock changed before the write. */
const ROWS_CHANGED = 'rows_changed_since_read';
const EVENT_RECORDED = 'EmailEvent_sourceId_key';

/**
 * The write was undone because the rows it was planned from were stale, or one of its events was recorded
 * before. A conflict (deadlock) with another writer of the same emails is resolved the same way: under locks, in
 * id order.
 */
export function isRefusedUnchangedRowsWrite(error: unknown): boolean {
  const { constraint } = (error ?? {}) as { constraint?: string };
  return constraint === ROWS_CHANGED || constraint === EVENT_RECORDED || isTransactionConflict(error);
}
