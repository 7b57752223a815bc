import { combineStatements } from './combined-statement';

describe(combineStatements.name, () => {
  it('renumbers each statement’s parameters after the previous ones', () => {
    const combined = combineStatements([
      { sql: 'INSERT INTO a SELECT $1::int, $2::int', params: [1, 2] },
      { sql: 'UPDATE b SET x = $1 WHERE y = $2 OR z = $1', params: ['x', 'y'] },
    ]);
    expect(combined.sql).toBe(
      'WITH s0 AS (INSERT INTO a SELECT $1::int, $2::int),\ns1 AS (UPDATE b SET x = $3 WHERE y = $4 OR z = $3) SELECT 1',
    );
    expect(combined.params).toEqual([1, 2, 'x', 'y']);
  });

  it('names a statement’s CTE when asked, so that a later one reads its RETURNING rows', () => {
    const combined = combineStatements([
      { name: 'added', sql: 'INSERT INTO a SELECT $1::int RETURNING id', params: [1] },
      { sql: 'INSERT INTO b SELECT id, $1::int FROM added', params: [2] },
    ]);
    expect(combined.sql).toBe(
      'WITH added AS (INSERT INTO a SELECT $1::int RETURNING id),\ns1 AS (INSERT INTO b SELECT id, $2::int FROM added) SELECT 1',
    );
  });

  it('numbers the main query’s parameters after the statements’ ones', () => {
    const combined = combineStatements([{ name: 'changed', sql: 'UPDATE b SET x = $1 RETURNING id', params: ['x'] }], {
      sql: 'SELECT count(*) = $1 FROM changed',
      params: [3],
    });
    expect(combined.sql).toBe('WITH changed AS (UPDATE b SET x = $1 RETURNING id) SELECT count(*) = $2 FROM changed');
    expect(combined.params).toEqual(['x', 3]);
  });
});
