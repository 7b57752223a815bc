import { join, raw, sql, withStatements } from '@postline/database';

describe('@postline/database', () => {
  it('exports its own sql tag, not the one the generated Prisma client puts on its exports', () => {
    const statement = withStatements([sql`SELECT ${1}`.as('one')], sql`SELECT ${raw('"a"')} ${join([sql`${2}`], ',')}`);
    expect(statement.text).toBe('WITH one AS (SELECT $1) SELECT "a" $2');
  });
});
