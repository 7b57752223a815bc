import type { EmailStatus } from '@postline/contracts';
import { prepared, raw, type Sql, sql } from '@postline/database';
import type { Pool, PoolClient } from 'pg';

/** The columns of an email that status recording reads (locked FOR UPDATE), plus account and operator names. */
export interface EmailRow {
  id: string;
  accountId: string;
  to: string;
  from: string;
  subject: string;
  alias: string | null;
  externalId: string | null;
  clientId: string | null;
  callbacks: string[];
  status: EmailStatus;
  sequence: number;
  userName: string;
  operator: string;
  sentAt: Date | null;
  delayedAt: Date | null;
  deliveredAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
  softBouncedAt: Date | null;
  hardBouncedAt: Date | null;
  complainedAt: Date | null;
  unsubscribedAt: Date | null;
  rejectedAt: Date | null;
  /** The email's tags, echoed in callbacks. */
  tags?: { name: string; value: string }[] | null;
  /** Its cc and bcc recipients: SES reports on them as on `to` (README "Message options"). */
  extraRecipients?: string[] | null;
}

/** An email read without a lock, with its row version (`xmin`): a write planned from it applies only while unchanged. */
export interface VersionedEmailRow extends EmailRow {
  version: string;
}

const COLUMNS = raw(`e."id", e."accountId", e."to", e."from", e."subject", e."alias", e."externalId", e."clientId",
  e."callbacks", e."status", e."sequence", a."name" AS "userName", o."name" AS "operator", e."sentAt", e."delayedAt",
  e."deliveredAt", e."openedAt", e."clickedAt", e."softBouncedAt", e."hardBouncedAt", e."complainedAt",
  e."unsubscribedAt", e."rejectedAt", e."tags", e."cc" || e."bcc" AS "extraRecipients"`);
const VERSION = raw(`, e."xmin"::text AS "version"`);
const FROM = raw(`"Email" e JOIN "Account" a ON a."id" = e."accountId" JOIN "Operator" o ON o."id" = e."operatorId"`);

/** Which emails to read, and what else the caller reads with them. */
export interface EmailRowsQuery {
  /** Everything after FROM (`WHERE …`, `ORDER BY …`, `LIMIT …`); the email is `e`, its account `a`, operator `o`. */
  filter: Sql;
  /** The caller's own columns, read in the same statement (`, e."sendAt"`); they start with a comma. */
  extra?: Sql;
  /** Read each row's version (`VersionedEmailRow`). */
  versioned?: boolean;
}

function emailRows(query: EmailRowsQuery, lock = ''): Sql {
  const { filter, extra, versioned } = query;
  return sql`SELECT ${COLUMNS}${versioned ? VERSION : raw('')}${extra ?? raw('')} FROM ${FROM} ${filter}${raw(lock)}`;
}

/**
 * Reads emails without a lock, each with its version, as a prepared statement: for a write that applies only if
 * none of them changed since (`StatusRecorder.recordIfUnchanged`).
 */
export async function readEmailRows<R extends VersionedEmailRow>(
  db: Pool | PoolClient,
  query: Omit<EmailRowsQuery, 'versioned'>,
): Promise<Map<string, R>> {
  const { rows } = await db.query<R>(prepared(emailRows({ ...query, versioned: true })));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Email rows read and locked FOR UPDATE in the transaction of `client`. Only `LockedEmails.lock` makes one, so
 * a writer handed one (`StatusRecorder.recordIn`) knows that no other transaction changes these rows before
 * the commit.
 */
export class LockedEmails<R extends EmailRow = EmailRow> {
  readonly byId: ReadonlyMap<string, R>;

  private constructor(
    readonly client: PoolClient,
    /** In the order the filter read them. */
    readonly rows: readonly R[],
  ) {
    this.byId = new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * Reads and locks the emails the query selects. Every writer locks emails in id order (no deadlock): the filter
   * orders by `e."id"` unless `skipLocked` (a page of work that takes only rows nobody holds).
   */
  static async lock<R extends EmailRow>(
    client: PoolClient,
    query: EmailRowsQuery,
    skipLocked = false,
  ): Promise<LockedEmails<R>> {
    const { rows } = await client.query<R>(
      emailRows(query, skipLocked ? ' FOR UPDATE OF e SKIP LOCKED' : ' FOR UPDATE OF e'),
    );
    return new LockedEmails(client, rows);
  }
}
