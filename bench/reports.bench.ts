import { Client } from 'pg';
import { benchAccount, benchDatabase, startProcess, stopProcess, runBench, dropQueueKeys } from './support/bench-env';
import { formatLatency, type Latency, measureGets } from './support/get-latency';
import { insertSyntheticEmails } from './support/synthetic-emails';

// npm run bench:reports — campaign report latency through the gateway at 10,000 and at 1,000,000 emails, and
// of the same reports filtered by a tag (read from the tagged emails, so it grows with them).
// The emails are generated straight into a database of the run's own (generate_series), and their counters
// and series rows are computed from them in SQL, as the recorder would have left them.
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PORT = Number(process.env.BENCH_PORT ?? 3995);
/** Counters and series rows of one campaign, computed from its emails (what the recorder maintains live). */
const COUNTERS_SQL = `
  WITH e AS (SELECT * FROM "Email" WHERE "accountId" = $1 AND "externalId" = $2),
  by_status AS (SELECT jsonb_object_agg("status", n) AS j FROM (SELECT "status", count(*) AS n FROM e GROUP BY 1) s),
  by_reason AS (SELECT COALESCE(jsonb_object_agg("status", n), '{}') AS j FROM (SELECT "status", count(*) AS n FROM e WHERE "rejectedAt" IS NOT NULL GROUP BY 1) s)
  INSERT INTO "CampaignStats" ("accountId", "externalId", "total", "byStatus", "sent", "delivered", "opened", "clicked",
    "softBounced", "hardBounced", "complained", "unsubscribed", "rejected", "rejectedByReason", "opensTotal", "clicksTotal",
    "firstActivityAt", "lastActivityAt")
  SELECT $1, $2, count(*), (SELECT j FROM by_status), count("sentAt"), count("deliveredAt"), count("openedAt"), count("clickedAt"),
    count("softBouncedAt"), count("hardBouncedAt"), count("complainedAt"), count("unsubscribedAt"), count("rejectedAt"),
    (SELECT j FROM by_reason), 2 * count("openedAt"), count("clickedAt"), min("createdAt"),
    max(GREATEST("createdAt", "sentAt", "deliveredAt", "openedAt", "clickedAt", "softBouncedAt", "hardBouncedAt", "complainedAt", "unsubscribedAt", "rejectedAt"))
  FROM e`;

const HOURLY_SQL = `
  WITH e AS (SELECT * FROM "Email" WHERE "accountId" = $1 AND "externalId" = $2),
  facts AS (
    SELECT date_trunc('hour', t.at) AS "hour", t.k, e."status"
    FROM e CROSS JOIN LATERAL (VALUES ('created', e."createdAt"), ('sent', e."sentAt"), ('delivered', e."deliveredAt"),
      ('opened', e."openedAt"), ('clicked', e."clickedAt"), ('softBounced', e."softBouncedAt"), ('hardBounced', e."hardBouncedAt"),
      ('complained', e."complainedAt"), ('unsubscribed', e."unsubscribedAt"), ('rejected', e."rejectedAt")) AS t(k, at)
    WHERE t.at IS NOT NULL),
  reasons AS (
    SELECT "hour", jsonb_object_agg("status", n) AS j FROM (SELECT "hour", "status", count(*) AS n FROM facts WHERE k = 'rejected' GROUP BY 1, 2) r GROUP BY 1)
  INSERT INTO "CampaignHourlyStats" ("accountId", "externalId", "hour", "created", "sent", "delivered", "opened", "clicked",
    "softBounced", "hardBounced", "complained", "unsubscribed", "rejected", "rejectedByReason", "opensTotal", "clicksTotal")
  SELECT $1, $2, f."hour", count(*) FILTER (WHERE k = 'created'), count(*) FILTER (WHERE k = 'sent'), count(*) FILTER (WHERE k = 'delivered'),
    count(*) FILTER (WHERE k = 'opened'), count(*) FILTER (WHERE k = 'clicked'), count(*) FILTER (WHERE k = 'softBounced'),
    count(*) FILTER (WHERE k = 'hardBounced'), count(*) FILTER (WHERE k = 'complained'), count(*) FILTER (WHERE k = 'unsubscribed'),
    count(*) FILTER (WHERE k = 'rejected'), COALESCE(min(r.j::text)::jsonb, '{}'), 2 * count(*) FILTER (WHERE k = 'opened'),
    count(*) FILTER (WHERE k = 'clicked')
  FROM facts f LEFT JOIN reasons r ON r."hour" = f."hour"
  GROUP BY f."hour"`;

const DAILY_SQL = `
  INSERT INTO "AccountDailyStats" ("accountId", "day", "created", "sent", "delivered", "opened", "clicked", "softBounced",
    "hardBounced", "complained", "unsubscribed", "rejected", "rejectedByReason", "opensTotal", "clicksTotal")
  SELECT "accountId", date_trunc('day', "hour")::date, sum("created"), sum("sent"), sum("delivered"), sum("opened"), sum("clicked"),
    sum("softBounced"), sum("hardBounced"), sum("complained"), sum("unsubscribed"), sum("rejected"),
    postline_jsonb_sum("rejectedByReason"), sum("opensTotal"), sum("clicksTotal")
  FROM "CampaignHourlyStats" WHERE "accountId" = $1 GROUP BY 1, 2
  ON CONFLICT ("accountId", "day") DO UPDATE SET "created" = EXCLUDED."created", "sent" = EXCLUDED."sent",
    "delivered" = EXCLUDED."delivered", "opened" = EXCLUDED."opened", "clicked" = EXCLUDED."clicked",
    "softBounced" = EXCLUDED."softBounced", "hardBounced" = EXCLUDED."hardBounced", "complained" = EXCLUDED."complained",
    "unsubscribed" = EXCLUDED."unsubscribed", "rejected" = EXCLUDED."rejected", "rejectedByReason" = EXCLUDED."rejectedByReason",
    "opensTotal" = EXCLUDED."opensTotal", "clicksTotal" = EXCLUDED."clicksTotal"`;

async function generate(
  db: Client,
  account: { accountId: string; operatorId: string },
  externalId: string,
  count: number,
): Promise<number> {
  const started = Date.now();
  await insertSyntheticEmails(db, account, { first: 0, count, externalId });
  await db.query(COUNTERS_SQL, [account.accountId, externalId]);
  await db.query(HOURLY_SQL, [account.accountId, externalId]);
  await db.query(DAILY_SQL, [account.accountId]);
  await db.query(`ANALYZE "CampaignStats", "CampaignHourlyStats", "AccountDailyStats"`);
  return (Date.now() - started) / 1000;
}

/** Tags every `every`-th email of the campaign `segment:vip` (by id, so spread over the whole campaign). */
async function tagEvery(db: Client, accountId: string, externalId: string, every: number): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE "Email" SET "tags" = '[{"name": "segment", "value": "vip"}]'::jsonb
     WHERE "accountId" = $1 AND "externalId" = $2 AND ('x' || substr(md5("id"::text), 1, 8))::bit(32)::int % $3 = 0`,
    [accountId, externalId, every],
  );
  await db.query(`ANALYZE "Email"`);
  return rowCount ?? 0;
}

/** `REQUESTS` GETs from `CONCURRENCY` keep-alive loops; every answer must be 200. */
const measure = (url: string, headers: Record<string, string>, requests = REQUESTS) =>
  measureGets(url, headers, requests, CONCURRENCY);
const fmt = formatLatency;

async function main(): Promise<void> {
  const runStarted = Date.now();
  const db = await benchDatabase('reports');
  const prefix = `{bench-reports-${Date.now()}}`;
  const account = await benchAccount(db.url);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const base = `http://127.0.0.1:${PORT}`;
  const headers = { authorization: `Bearer ${account.apiKey}` };
  const report = (externalId: string) => `${base}/reports/campaigns/${externalId}?granularity=hour`;
  let gateway: Awaited<ReturnType<typeof startProcess>> | undefined;
  try {
    const small = await generate(client, account, 'bench-10k', 10_000);
    console.log(`generated 10,000 emails with counters in ${small.toFixed(1)} s`);
    gateway = await startProcess(
      'apps/gateway/src/main.ts',
      {
        DATABASE_URL: db.url,
        QUEUE_PREFIX: prefix,
        ADMIN_API_KEY: 'bench-admin-key-0123456789',
        UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
        LOG_LEVEL: 'error',
        SWAGGER_ENABLED: 'false',
        PORT: String(PORT),
      },
      `${base}/health`,
    );
    const check = (await (await fetch(report('bench-10k'), { headers })).json()) as {
      data: { total: number; series: { points: unknown[] } };
    };
    if (check.data.total !== 10_000) throw new Error(`unexpected report: ${JSON.stringify(check).slice(0, 300)}`);
    await measure(report('bench-10k'), headers, 1000); // warm-up (JIT, pool, plans), discarded
    const at10k = await measure(report('bench-10k'), headers);

    const big = await generate(client, account, 'bench-1m', 1_000_000);
    console.log(`generated 1,000,000 emails with counters in ${big.toFixed(1)} s`);
    const checkBig = (await (await fetch(report('bench-1m'), { headers })).json()) as {
      data: { total: number; counts: { sent: number } };
    };
    if (checkBig.data.total !== 1_000_000)
      throw new Error(`unexpected report: ${JSON.stringify(checkBig).slice(0, 300)}`);
    await measure(report('bench-1m'), headers, 300); // first reads of the new rows, discarded
    const at1m = await measure(report('bench-1m'), headers);
    const at10kAgain = await measure(report('bench-10k'), headers);
    const day1m = await measure(report('bench-1m').replace('=hour', '=day'), headers, REQUESTS / 2);
    const tagged10k = await tagEvery(client, account.accountId, 'bench-10k', 2);
    const tagged1m = await tagEvery(client, account.accountId, 'bench-1m', 10);
    const byTag = (externalId: string) => `${report(externalId)}&tag=segment:vip`;
    const checkTag = (await (await fetch(byTag('bench-10k'), { headers })).json()) as { data: { total: number } };
    if (checkTag.data.total !== tagged10k)
      throw new Error(`unexpected tag report: ${JSON.stringify(checkTag).slice(0, 300)}`);
    await measure(byTag('bench-10k'), headers, 50); // warm-up, discarded
    const tag10k = await measure(byTag('bench-10k'), headers, REQUESTS / 4);
    const tag1m = await measure(byTag('bench-1m'), headers, 40);
    const csv1m = await measure(report('bench-1m'), { ...headers, accept: 'text/csv' }, REQUESTS / 2);
    const list = await measure(`${base}/reports/campaigns`, headers, REQUESTS / 2);
    const summary = await measure(`${base}/reports/summary?from=2026-03-01&to=2026-03-31`, headers, REQUESTS / 2);

    console.log(
      `\nGET /reports/campaigns/{externalId} (hourly series of ${check.data.series.points.length} points, ${CONCURRENCY} concurrent, ${REQUESTS} requests)`,
    );
    console.log(`  10,000 emails                ${fmt(at10k)}`);
    console.log(`  1,000,000 emails             ${fmt(at1m)}`);
    console.log(`  10,000 emails, 1M in the db  ${fmt(at10kAgain)}`);
    const verdict = (l: Latency) => (l.p99 < 50 ? 'met' : 'missed');
    console.log(
      `  goal p99 < 50 ms             10k ${verdict(at10k)}, 1M ${verdict(at1m)}; p99 1M / 10k = ${(at1m.p99 / at10k.p99).toFixed(2)}× (flat ≈ 1)`,
    );
    console.log(`  1M, granularity=day          ${fmt(day1m)}`);
    console.log(`  1M, Accept: text/csv         ${fmt(csv1m)}`);
    console.log(`  ?tag=, ${tagged10k.toLocaleString('en')} tagged of 10k     ${fmt(tag10k)}`);
    console.log(
      `  ?tag=, ${tagged1m.toLocaleString('en')} tagged of 1M    ${fmt(tag1m)}  (reads the tagged emails: grows with them)`,
    );
    console.log(`GET /reports/campaigns         ${fmt(list)}`);
    console.log(`GET /reports/summary (31 days) ${fmt(summary)}`);
    console.log(
      `(sent in the 1M campaign: ${checkBig.data.counts.sent}; run time ${((Date.now() - runStarted) / 1000).toFixed(0)} s)`,
    );
  } finally {
    if (gateway) await stopProcess(gateway);
    await client.end();
    await dropQueueKeys(prefix);
    // The run's own database goes, with the account and its million emails.
    await db.drop();
  }
}

runBench(main);
