-- For statements that write rows they read earlier without a lock (the sender's journal rounds): they cast
-- (rows read - rows written) to this domain. A row that changed in between is not written, the check fails,
-- the whole statement is undone, and the caller runs it again under row locks.
CREATE DOMAIN "postline_unchanged_rows" AS bigint CONSTRAINT "rows_changed_since_read" CHECK (VALUE = 0);
