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
 * of the statement. The statements must not contain `$n` outside their parameters.
 */
export function combineStatements(statements: readonly SqlStatement[]): SqlStatement {
  const params: unknown[] = [];
  const ctes = statements.map((statement, i) => {
    const offset = params.length;
    params.push(...statement.params);
    return `${statement.name ?? `s${i}`} AS (${statement.sql.replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${ctes.join(',\n')} SELECT 1`, params };
}
