import { createHash } from 'node:crypto';

/** A SQL statement with its positional parameters ($1, $2, …). */
export interface SqlStatement {
  sql: string;
  params: unknown[];
  /** Its CTE's name when combined, so that a later statement can read its RETURNING rows (default `s<i>`). */
  name?: string;
}

/**
 * Joins data-modifying statements into one (each becomes a CTE, parameters renumbered), so they run in one
 * round trip and as one atomic statement. Foreign keys between them hold: Postgres checks them at the end
 * of the statement. `select` is the main query; it may read the CTEs' RETURNING rows (a check failing in it
 * undoes every CTE). The statements must not contain `$n` outside their parameters.
 */
export function combineStatements(
  statements: readonly SqlStatement[],
  select: SqlStatement = { sql: 'SELECT 1', params: [] },
): SqlStatement {
  const params: unknown[] = [];
  const renumber = (statement: SqlStatement): string => {
    const offset = params.length;
    params.push(...statement.params);
    return statement.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
  };
  const ctes = statements.map((statement, i) => `${statement.name ?? `s${i}`} AS (${renumber(statement)})`);
  return { sql: `WITH ${ctes.join(',\n')} ${renumber(select)}`, params };
}

/**
 * The statement as a named prepared statement (node-postgres `QueryConfig`): each connection parses and
 * analyses it once, and Postgres may keep a generic plan for it. For hot statements built from a handful of
 * shapes: the name is derived from the text, so each shape gets its own.
 */
export function prepared(statement: SqlStatement): { name: string; text: string; values: unknown[] } {
  const name = `pl_${createHash('sha1').update(statement.sql).digest('base64url')}`;
  return { name, text: statement.sql, values: statement.params };
}
