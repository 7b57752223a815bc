import { benchAccount, benchDatabase, dropQueueKeys, runBench, startProcess, stopProcess } from './support/bench-env';
import { measureAcceptanceIsolation, printAcceptanceIsolation } from './support/isolation-requests';

// npm run bench:isolation — one tenant never hurts another. (a) a healthy account's POST /emails beside another
// account's poisoned requests (bench/support/isolation-requests.ts). Each part prints its baseline beside it.
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 400);
const POISON_SHARE = 0.2;

async function acceptance(): Promise<void> {
  const db = await benchDatabase('isolation');
  const prefix = `{bench-iso-${Date.now()}}`;
  const healthy = await benchAccount(db.url);
  const careless = await benchAccount(db.url);
  const gateway = await startProcess(
    'apps/gateway/src/main.ts',
    {
      DATABASE_URL: db.url,
      QUEUE_PREFIX: prefix,
      ADMIN_API_KEY: 'bench-admin-key-0123456789',
      UNSUBSCRIBE_SECRET: 'bench-unsubscribe-secret-0123456789',
      LOG_LEVEL: 'error',
      SWAGGER_ENABLED: 'false',
      MX_CHECK_ENABLED: 'false',
      PORT: '3993',
    },
    'http://127.0.0.1:3993/health',
  );
  try {
    const options = { rate: RATE, poisonShare: POISON_SHARE, durationSeconds: DURATION };
    const result = await measureAcceptanceIsolation({
      ...options,
      baseUrl: 'http://127.0.0.1:3993',
      healthyApiKey: healthy.apiKey,
      carelessApiKey: careless.apiKey,
    });
    printAcceptanceIsolation(result, options);
  } finally {
    await stopProcess(gateway);
    await dropQueueKeys(prefix);
    await db.drop();
  }
}

async function main(): Promise<void> {
  await acceptance();
}

runBench(main);
