import autocannon from 'autocannon';
import {
  benchAccount,
  benchDatabase,
  pct,
  startProcess,
  stopProcess,
  runBench,
  dropQueueKeys,
} from './support/bench-env';
import { cpuPerItem, cpuSnapshot, postgresCpu } from './support/cpu-usage';

// npm run bench:gateway — POST /emails throughput against its ceiling (bare Fastify + one INSERT + one
// BullMQ add, measured in the same run), then the batch endpoint in emails/s.
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 100;
const body = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: '<p>We have a <b>new offer</b> this week: 20 % off everything until Sunday.</p>',
  subject: 'EliPackage Promo',
  externalId: '123456789abcde',
  clientId: '48118112',
  callbacks: ['https://example.com/hook'],
  alias: 'New User',
};

async function load(url: string, headers: Record<string, string>, payload: string, connections = CONNECTIONS) {
  const result = await autocannon({ url, method: 'POST', connections, duration: DURATION, headers, body: payload });
  const ok = result['2xx'];
  return { reqPerSec: ok / DURATION, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

/**
 * A load with the CPU it cost per accepted email in the server, Postgres (this database) and Redis: unlike
 * req/s, it hardly moves with what else the machine is doing.
 */
async function cpuLoad(
  url: string,
  headers: Record<string, string>,
  payload: string,
  pid: number,
  database: string,
  connections: number,
  emailsPerRequest: number,
) {
  const snapshot = () => ({ ...cpuSnapshot({ server: pid }, ['redis-server']), postgres: postgresCpu(database) });
  const before = snapshot();
  const result = await load(url, headers, payload, connections);
  const after = snapshot();
  return { ...result, cpu: cpuPerItem(before, after, result.reqPerSec * DURATION * emailsPerRequest) };
}

const batchLoad = (url: string, headers: Record<string, string>, payload: string, pid: number, database: string) =>
  cpuLoad(url, headers, payload, pid, database, 4, 1000);

async function createTemplate(baseUrl: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${baseUrl}/templates`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'order-shipped',
      subject: 'Your order {{order.id}}, {{firstName}}',
      html: '<p>Hello {{firstName}},</p><p>Order {{order.id}} ({{order.total}}) is on its way.</p>',
    }),
  });
  if (res.status !== 201) throw new Error(`POST /templates answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

async function main(): Promise<void> {
  const db = await benchDatabase('gateway');
  const prefix = `{bench-gw-${Date.now()}}`;
  const account = await benchAccount(db.url);
  const env = {
    DATABASE_URL: db.url,
    QUEUE_PREFIX: prefix,
    ADMIN_API_KEY: 'bench-admin-key-0123456789',
    UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
    LOG_LEVEL: 'error',
    SWAGGER_ENABLED: 'false',
    MX_CHECK_ENABLED: 'false',
    BENCH_ACCOUNT_ID: account.accountId,
    BENCH_OPERATOR_ID: account.operatorId,
    // Counted but never reached: the figure includes the limiter's cost. RATE_LIMIT_ENABLED=false measures without.
    RATE_LIMIT_PER_KEY: '1000000000',
    RATE_LIMIT_PER_ACCOUNT: '1000000000',
  };
  const headers = { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' };
  try {
    const ceilingProc = await startProcess(
      'bench/support/gateway-ceiling.ts',
      { ...env, PORT: '3990' },
      'http://127.0.0.1:3990/health',
    );
    await load('http://127.0.0.1:3990/emails', headers, JSON.stringify(body)); // warm-up run, discarded
    const ceiling = await load('http://127.0.0.1:3990/emails', headers, JSON.stringify(body));
    const batchPayload = JSON.stringify({ messages: Array.from({ length: 1000 }, () => body) });
    const database = new URL(db.url).pathname.slice(1);
    const batchCeiling = await batchLoad(
      'http://127.0.0.1:3990/emails/batch',
      headers,
      batchPayload,
      ceilingProc.pid as number,
      database,
    );
    await stopProcess(ceilingProc);

    const gateway = await startProcess(
      'apps/gateway/src/main.ts',
      { ...env, PORT: '3991' },
      'http://127.0.0.1:3991/health',
    );
    await load('http://127.0.0.1:3991/emails', headers, JSON.stringify(body));
    const single = await cpuLoad(
      'http://127.0.0.1:3991/emails',
      headers,
      JSON.stringify(body),
      gateway.pid as number,
      database,
      CONNECTIONS,
      1,
    );
    const batch = await batchLoad(
      'http://127.0.0.1:3991/emails/batch',
      headers,
      batchPayload,
      gateway.pid as number,
      database,
    );
    // The marketing case: 1,000 personalized messages naming one template, each with its own variables.
    const templateId = await createTemplate('http://127.0.0.1:3991', headers);
    const templatedPayload = JSON.stringify({
      messages: Array.from({ length: 1000 }, (_, i) => ({
        to: body.to,
        from: body.from,
        templateId,
        variables: { firstName: `Customer ${i}`, order: { id: `A-${100000 + i}`, total: `${(i % 97) + 3}.90 €` } },
        externalId: body.externalId,
        callbacks: body.callbacks,
      })),
    });
    const templated = await batchLoad(
      'http://127.0.0.1:3991/emails/batch',
      headers,
      templatedPayload,
      gateway.pid as number,
      database,
    );
    await stopProcess(gateway);

    console.log(
      `\nPOST /emails           ${single.reqPerSec.toFixed(0)} req/s   p99 ${single.p99} ms   (errors ${single.errors})`,
    );
    console.log(
      `ceiling (Fastify+INSERT+add) ${ceiling.reqPerSec.toFixed(0)} req/s   p99 ${ceiling.p99} ms   (errors ${ceiling.errors})`,
    );
    console.log(`ratio                  ${pct(single.reqPerSec, ceiling.reqPerSec)}   (goal ≥ 80 %)`);
    console.log(
      `POST /emails/batch     ${(batch.reqPerSec * 1000).toFixed(0)} emails/s (1,000 per request, 4 connections; goal ≥ 20,000)`,
    );
    console.log(
      `batch ceiling (Fastify+one INSERT+addBulk) ${(batchCeiling.reqPerSec * 1000).toFixed(0)} emails/s   (errors ${batchCeiling.errors})`,
    );
    console.log(`batch ratio            ${pct(batch.reqPerSec, batchCeiling.reqPerSec)}`);
    console.log(
      `batch with a template  ${(templated.reqPerSec * 1000).toFixed(0)} emails/s (1,000 personalized per request; errors ${templated.errors})`,
    );
    console.log(`templated / plain batch ${pct(templated.reqPerSec, batch.reqPerSec)}   (goal ≥ 85 %)`);
    console.log(`CPU ms per POST /emails        ${single.cpu}`);
    console.log(`CPU ms per email       gateway: ${batch.cpu}`);
    console.log(`                       ceiling: ${batchCeiling.cpu}`);
    console.log(`                       templated batch: ${templated.cpu}`);
  } finally {
    await dropQueueKeys(prefix);
    await db.drop();
  }
}

runBench(main);
