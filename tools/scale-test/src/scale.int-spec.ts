import { DEFAULT_REPLICAS, passed, runScale } from './scale-run';

// The CI size of `npm run test:scale` (tools/scale-test/src/main.ts): the same run on a Redis Cluster with every
// app replicated, kill -9 of a sender and a webhooks worker midway, with fewer emails (SCALE_EMAILS, 2,000).
const EMAILS = Number(process.env.SCALE_EMAILS ?? 2000);

describe('scale-out on a Redis Cluster (small)', () => {
  it(
    `sends ${EMAILS} emails once each through 2 gateways, 3 senders, 2 events, 2 reputation and 2 webhooks workers`,
    async () => {
      const report = await runScale({
        emails: EMAILS,
        rate: 100,
        replicas: DEFAULT_REPLICAS,
        settleTimeoutMs: 600_000,
        log: () => undefined,
      });
      // The whole report on failure: every figure at once says more than the first check that failed.
      expect({ passed: passed(report), report }).toEqual({ passed: true, report });
      expect(report.killed).toEqual(['sender-1', 'webhooks-1']);
    },
    30 * 60_000,
  );
});
