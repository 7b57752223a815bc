import { Pool } from 'pg';
import { createPgPool, isDatabaseUnavailable } from './pg-pool';

// A connection killed while checked out (Postgres stopped or restarted under load) must fail its own work
// only: node-postgres emits 'error' on the client, which crashes a process that has no listener for it.
describe(createPgPool.name, () => {
  const admin = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  const sut = createPgPool(process.env.DATABASE_URL as string, 2);

  afterAll(async () => {
    await sut.end();
    await admin.end();
  });

  it('survives a checked-out connection being terminated, and the pool serves the next query', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const client = await sut.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await new Promise((resolve) => setTimeout(resolve, 300));

      const failure = await client.query('SELECT 1').then(
        () => null,
        (error: unknown) => error,
      );
      expect(isDatabaseUnavailable(failure)).toBe(true);
      client.release(failure as Error);
      expect((await sut.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
