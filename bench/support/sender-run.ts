import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DEFAULT_JOB_OPTIONS, JobName, QueueName } from '@postline/contracts';
import { Queue } from 'bullmq';
import type { Client } from 'pg';

/** What every bench email says (the sender's usual work: HTML text, a link, an unsubscribe footer). */
export const BENCH_CONTENT = {
  from: 'promo@elipackage.test',
  alias: 'New User',
  subject: 'EliPackage Promo',
  text: '<p>We have a <b>new offer</b> this week: 20 % off everything until Sunday.</p><p><a href="https://elipackage.test/offer">See the offer</a></p>',
  unsubscribeMsg: 'Unsubscribe',
};

/** aws-ses-v2-local as its own process on `port`, once it answers. */
export async function startSesEmulator(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['node_modules/aws-ses-v2-local/dist/cli.js', '--host', '127.0.0.1', '--port', String(port)],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health-check`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('aws-ses-v2-local did not start');
}

/**
 * Inserts QUEUED emails straight in the database, in multi-row batches. With `templateId`, each email is
 * rendered by the sender from version 1 of that template with variables of its own.
 */
export async function insertQueuedEmails(
  db: Client,
  accountId: string,
  operatorId: string,
  count: number,
  templateId: string | null = null,
): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 2000) {
    const rows = Array.from({ length: Math.min(2000, count - offset) }, (_, i) => ({
      id: randomUUID(),
      accountId,
      operatorId,
      to: `user${offset + i}@example.com`,
      ...BENCH_CONTENT,
      externalId: 'bench-campaign',
      ...(templateId
        ? {
            text: '',
            templateId,
            variables: { firstName: `Customer ${offset + i}`, discount: '20 %', code: `C${offset + i}` },
          }
        : {}),
    }));
    ids.push(...rows.map((r) => r.id));
    await db.query(
      `INSERT INTO "Email" ("id", "accountId", "operatorId", "to", "from", "alias", "subject", "text", "externalId", "unsubscribeMsg",
         "status", "sequence", "updatedAt", "templateId", "templateVersion", "variables")
       SELECT v."id", v."accountId", v."operatorId", v."to", v."from", v."alias", v."subject", v."text", v."externalId", v."unsubscribeMsg",
         'QUEUED', 1, now(), v."templateId", CASE WHEN v."templateId" IS NOT NULL THEN 1 END, v."variables"
       FROM jsonb_to_recordset($1::jsonb) AS v("id" uuid, "accountId" uuid, "operatorId" uuid, "to" text, "from" text, "alias" text,
         "subject" text, "text" text, "externalId" text, "unsubscribeMsg" text, "templateId" uuid, "variables" jsonb)`,
      [JSON.stringify(rows)],
    );
  }
  return ids;
}

/**
 * The same emails, personalized: one template version (the plain content with placeholders) and each email's
 * own variables, rendered by the sender.
 */
export async function insertTemplatedEmails(
  db: Client,
  accountId: string,
  operatorId: string,
  count: number,
): Promise<string[]> {
  const templateId = randomUUID();
  await db.query(`INSERT INTO "Template" ("id", "accountId", "name", "currentVersion") VALUES ($1, $2, 'bench', 1)`, [
    templateId,
    accountId,
  ]);
  await db.query(`INSERT INTO "TemplateVersion" ("templateId", "version", "subject", "html") VALUES ($1, 1, $2, $3)`, [
    templateId,
    'EliPackage Promo for {{firstName}}',
    '<p>Hello {{firstName}}, we have a <b>new offer</b> this week: {{discount}} off everything until Sunday.</p><p><a href="https://elipackage.test/offer?c={{code}}">See the offer</a></p>',
  ]);
  return insertQueuedEmails(db, accountId, operatorId, count, templateId);
}

/** Puts one send job per email on the email-send queue of `prefix`, as the outbox relay would. */
export async function enqueueSends(redisUrl: string, prefix: string, ids: string[]): Promise<void> {
  const url = new URL(redisUrl);
  const queue = new Queue(QueueName.EmailSend, {
    connection: { host: url.hostname, port: Number(url.port || 6379) },
    prefix,
  });
  for (let i = 0; i < ids.length; i += 1000) {
    await queue.addBulk(
      ids.slice(i, i + 1000).map((emailId) => ({
        name: JobName.SendEmail,
        data: { emailId },
        opts: { ...DEFAULT_JOB_OPTIONS, jobId: emailId },
      })),
    );
  }
  await queue.close();
}

async function sentCount(db: Client, ids: string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM "Email" WHERE "id" = ANY($1::uuid[]) AND "status" = 'SENT'`,
    [ids],
  );
  return Number(rows[0].n);
}

/** Where the emails that are not SENT are, e.g. `22 DEQUEUED (dispatch STARTED)`. */
async function notSentSummary(db: Client, ids: string[]): Promise<string> {
  const { rows } = await db.query<{ status: string; dispatchState: string; n: number }>(
    `SELECT "status", "dispatchState", count(*)::int AS n FROM "Email"
     WHERE "id" = ANY($1::uuid[]) AND "status" <> 'SENT' GROUP BY 1, 2 ORDER BY 3 DESC`,
    [ids],
  );
  return rows.map((r) => `${r.n} ${r.status} (dispatch ${r.dispatchState})`).join(', ');
}

/**
 * Waits until every email is SENT. Fails once no email has reached SENT for `stallMs`: an email whose
 * SendEmail outcome is unknown waits for an SES Send event the emulator never publishes.
 */
export async function waitAllSent(db: Client, ids: string[], stallMs: number): Promise<void> {
  let sent = 0;
  let progressAt = Date.now();
  for (;;) {
    const now = await sentCount(db, ids);
    if (now === ids.length) return;
    if (now > sent) {
      sent = now;
      progressAt = Date.now();
    } else if (Date.now() - progressAt > stallMs) {
      throw new Error(
        `${ids.length - now} of ${ids.length} emails never reached SENT (none for ${stallMs / 1000} s): ` +
          (await notSentSummary(db, ids)),
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
