import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/**
 * Jest globalSetup of the integration project: a template database for this run, with every migration
 * applied. Each test file then works in its own copy of it (setup-env.ts, setup-database.ts): files run in
 * parallel, and a shared database would let one file's outbox relay take another file's jobs.
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
