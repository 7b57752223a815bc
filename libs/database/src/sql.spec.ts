import { join, param, prepared, raw, sql, withStatements } from './sql';

describe(sql.name, () => {
  it('numbers each parameter in the order it appears', () => {
    const statement = sql`UPDATE b SET x = ${'x'} WHERE y = ${'y'} AND z = ${3}`;
    expect(statement.text).toBe('UPDATE b SET x = $1 WHERE y = $2 AND z = $3');
    expect(statement.values).toEqual(['x', 'y', 3]);
  });

  it('numbers a nested fragment’s parameters where it is placed', () => {
    const where = sql`WHERE y = ${'y'} AND z = ${'z'}`;
    const statement = sql`UPDATE b SET x = ${'x'} ${where} RETURNING ${raw('"id"')}, ${1}::int`;
    expect(statement.text).toBe('UPDATE b SET x = $1 WHERE y = $2 AND z = $3 RETURNING "id", $4::int');
    expect(statement.values).toEqual(['x', 'y', 'z', 1]);
  });

  it('gives a Param one number wherever it appears, and a plain value one per use', () => {
    const x = param('x');
    const statement = sql`UPDATE b SET x = ${x} WHERE y = ${'y'} OR z = ${x} OR w = ${'y'}`;
    expect(statement.text).toBe('UPDATE b SET x = $1 WHERE y = $2 OR z = $1 OR w = $3');
    expect(statement.values).toEqual(['x', 'y', 'y']);
  });

  it('inlines raw text without a parameter', () => {
    const statement = sql`SELECT ${raw('"a", "b"')} FROM ${raw('"T"')} WHERE "a" = ${1}`;
    expect(statement.text).toBe('SELECT "a", "b" FROM "T" WHERE "a" = $1');
    expect(statement.values).toEqual([1]);
  });

  it('joins fragments with a separator, nothing when there are none', () => {
    const joined = join([sql`a = ${1}`, sql`b = ${2}`, sql`c`], ', ');
    expect(sql`SET ${joined} WHERE d = ${4}`.text).toBe('SET a = $1, b = $2, c WHERE d = $3');
    expect(join([], ', ').text).toBe('');
  });

  it('names prepared statements by their text', () => {
    const a = prepared(sql`SELECT ${1}`);
    expect(a).toEqual({ name: expect.stringMatching(/^pl_/), text: 'SELECT $1', values: [1] });
    expect(prepared(sql`SELECT ${2}`).name).toBe(a.name);
    expect(prepared(sql`SELECT ${2}::int`).name).not.toBe(a.name);
  });
});

describe(withStatements.name, () => {
  it('numbers each statement’s parameters after the previous ones', () => {
    const x = param('x');
    const combined = withStatements([
      sql`INSERT INTO a SELECT ${1}::int, ${2}::int`,
      sql`UPDATE b SET x = ${x} WHERE y = ${'y'} OR z = ${x}`,
    ]);
    expect(combined.text).toBe(
      'WITH s0 AS (INSERT INTO a SELECT $1::int, $2::int),\ns1 AS (UPDATE b SET x = $3 WHERE y = $4 OR z = $3) SELECT 1',
    );
    expect(combined.values).toEqual([1, 2, 'x', 'y']);
  });

  it('names a statement’s CTE when asked, so that a later one reads its RETURNING rows', () => {
    const combined = withStatements([
      sql`INSERT INTO a SELECT ${1}::int RETURNING id`.as('added'),
      sql`INSERT INTO b SELECT id, ${2}::int FROM added`,
    ]);
    expect(combined.text).toBe(
      'WITH added AS (INSERT INTO a SELECT $1::int RETURNING id),\ns1 AS (INSERT INTO b SELECT id, $2::int FROM added) SELECT 1',
    );
  });

  it('numbers the main query’s parameters after the statements’ ones', () => {
    const combined = withStatements(
      [sql`UPDATE b SET x = ${'x'} RETURNING id`.as('changed')],
      sql`SELECT count(*) = ${3} FROM changed`,
    );
    expect(combined.text).toBe('WITH changed AS (UPDATE b SET x = $1 RETURNING id) SELECT count(*) = $2 FROM changed');
    expect(combined.values).toEqual(['x', 3]);
  });

  it('has no pg query name, so that node-postgres does not take it for a prepared statement', () => {
    expect((withStatements([sql`SELECT 1`.as('one')]) as unknown as { name?: string }).name).toBeUndefined();
  });
});
