// Creates the database named in DATABASE_URL when it does not exist (connecting to the server's `postgres` database).
import pg from 'pg';

const target = new URL(process.env.DATABASE_URL);
const name = decodeURIComponent(target.pathname.slice(1));
const admin = new URL(target);
admin.pathname = '/postgres';
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rowCount === 0) {
    console.log(`Creating database ${name}`);
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  }
} finally {
  await client.end();
}
