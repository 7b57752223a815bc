import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { eventually } from './factories';
import { freePort } from './free-port';

const VERSION = '15';

/**
 * A PostgreSQL cluster of the caller's own (pg_createcluster on a free port, trust auth on 127.0.0.1) that it
 * may stop and start; dropped by `remove()`. Never the shared cluster on 5432.
 */
export class TestPostgres {
  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static async create(label: string): Promise<TestPostgres> {
    const port = await freePort();
    const cluster = new TestPostgres(`${label}_${port}`, port);
    execFileSync('pg_createcluster', [VERSION, cluster.name, '--port', String(port)], { stdio: 'pipe' });
    writeFileSync(
      `/etc/postgresql/${VERSION}/${cluster.name}/pg_hba.conf`,
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    );
    await cluster.start();
    return cluster;
  }

  /** A URL of database `database` on this cluster. */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(database: string): Promise<string> {
    const admin = new Client({ connectionString: this.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    return this.url(database);
  }

  async start(): Promise<void> {
    execFileSync('pg_ctlcluster', [VERSION, this.name, 'start'], { stdio: 'pipe' });
    await eventually(
      async () => {
        const client = new Client({ connectionString: this.url('postgres') });
        try {
          await client.connect();
          return true;
        } catch {
          return false;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      30_000,
      100,
    );
  }

  /** A fast stop: every connection is terminated, as in a crash or failover of the server. */
  stop(): void {
    execFileSync('pg_ctlcluster', [VERSION, this.name, 'stop', '-m', 'fast'], { stdio: 'pipe' });
  }

  remove(): void {
    execFileSync('pg_dropcluster', ['--stop', VERSION, this.name], { stdio: 'pipe' });
  }
}
