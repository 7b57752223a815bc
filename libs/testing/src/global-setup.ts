import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/**
 * Jest globalSetup of the integration project: a fresh database per run on the local Postgres, with every
 * migration applied. Test workers inherit DATABASE_URL from this process.
 */
export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const name = `postline_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.POSTLINE_TEST_DATABASE = name;
  execFileSync('npx', ['prisma', 'migrate', 'deploy'], { stdio: 'pipe', env: process.env });
}
