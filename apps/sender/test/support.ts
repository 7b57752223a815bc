import { type ChildProcess, spawn } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import type { EmailStatus } from '@postline/contracts';
import { EmailIntake, type NewEmail } from '@postline/email-ledger';
import { eventually, freePort, queuedEmail, type TestAccount, testPool } from '@postline/testing';

export interface EmailRowView {
  id: string;
  status: EmailStatus;
  statusReason: string | null;
  sesMessageId: string | null;
  dispatchState: string;
  dispatchAttempts: number;
  dequeuedAt: Date | null;
  dispatchStartedAt: Date | null;
  sentAt: Date | null;
  rejectedAt: Date | null;
}

/** Accepts emails as the gateway would (QUEUED, with their send jobs in the outbox the app's relay moves). */
export async function queueEmails(
  app: INestApplication,
  account: TestAccount,
  emails: Partial<NewEmail>[],
): Promise<string[]> {
  const rows = emails.map((e) => queuedEmail(account, e));
  await app.get(EmailIntake).store(rows);
  return rows.map((r) => r.id);
}

export async function emailRow(id: string): Promise<EmailRowView> {
  const { rows } = await testPool().query<EmailRowView>(
    `SELECT "id", "status", "statusReason", "sesMessageId", "dispatchState", "dispatchAttempts", "dequeuedAt",
       "dispatchStartedAt", "sentAt", "rejectedAt" FROM "Email" WHERE "id" = $1`,
    [id],
  );
  return rows[0];
}

/** Waits until the email has one of the statuses; returns its row. */
export function statusOf(id: string, statuses: EmailStatus[], timeoutMs = 10_000): Promise<EmailRowView> {
  return eventually(async () => {
    const row = await emailRow(id);
    return statuses.includes(row.status) ? row : null;
  }, timeoutMs);
}

export async function historyOf(
  id: string,
): Promise<{ sourceId: string; source: string; type: string; mappedStatus: string; newStatus: string | null }[]> {
  const { rows } = await testPool().query(
    `SELECT "sourceId", "source", "type", "mappedStatus", "newStatus" FROM "EmailEvent" WHERE "emailId" = $1 ORDER BY "occurredAt", "createdAt", "sequence" NULLS LAST`,
    [id],
  );
  return rows;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sender as its own process, as `npm start` runs it. */
export async function startSender(env: Record<string, string>): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', '-r', 'tsconfig-paths/register', 'apps/sender/src/main.ts'],
    {
      env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' },
      stdio: 'ignore',
    },
  );
  await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 30_000, 100);
  return child;
}
