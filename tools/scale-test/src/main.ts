import { APPS, type AppName, DEFAULT_REPLICAS, passed, runScale } from './scale-run';

/**
 * npm run test:scale — the scale-out run (tools/scale-test/README.md). Env: SCALE_EMAILS (20000),
 * SCALE_RATE (SES_MAX_SEND_RATE, 100), SCALE_REPLICAS (e.g. "sender=3,webhooks=2"), SCALE_TIMEOUT_S (1800),
 * SCALE_KEEP_LOGS=1 keeps every app's log.
 */
async function main(): Promise<void> {
  const replicas = { ...DEFAULT_REPLICAS };
  for (const part of (process.env.SCALE_REPLICAS ?? '').split(',').filter(Boolean)) {
    const [app, n] = part.split('=');
    if (!(APPS as readonly string[]).includes(app) || !(Number(n) >= 1)) throw new Error(`SCALE_REPLICAS: bad "${part}"`);
    replicas[app as AppName] = Number(n);
  }
  const report = await runScale({
    emails: Number(process.env.SCALE_EMAILS ?? 20_000),
    rate: Number(process.env.SCALE_RATE ?? 100),
    replicas,
    settleTimeoutMs: Number(process.env.SCALE_TIMEOUT_S ?? 1800) * 1000,
    log: (line) => console.log(`[scale] ${line}`),
  });
  console.log(JSON.stringify(report, null, 2));
  const ok = passed(report);
  console.log(ok ? 'scale test PASSED' : 'scale test FAILED');
  process.exit(ok ? 0 : 1);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
