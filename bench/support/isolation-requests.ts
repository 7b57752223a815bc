import autocannon from 'autocannon';

// Part (a) of bench:isolation: a healthy account's POST /emails while another account sends requests that
// Postgres or mail cannot carry. The gateway is started by the caller (bench/isolation.bench.ts).

const valid = {
  to: 'success@simulator.amazonses.com',
  from: 'promo@elipackage.test',
  text: '<p>We have a <b>new offer</b> this week: 20 % off everything until Sunday.</p>',
  subject: 'EliPackage Promo',
  externalId: 'isolation-bench',
  clientId: '48118112',
  alias: 'New User',
};

/** The poisoned requests, in turn: NUL in text, a lone surrogate, an encoded word, NUL in a batch message. */
const poisoned: { path: string; body: unknown }[] = [
  { path: '/emails', body: { ...valid, text: 'nul \u0000 here' } },
  { path: '/emails', body: { ...valid, subject: 'half \ud800 pair' } },
  { path: '/emails', body: { ...valid, subject: '=?UTF-8?B?eA0KQmNjOiB4QGV2aWwudGVzdA==?=' } },
  { path: '/emails/batch', body: { messages: [valid, { ...valid, text: 'nul \u0000 here' }] } },
];

export interface LoadFigures {
  requests: number;
  p99: number;
  errors: number;
  status4xx: number;
  status5xx: number;
}

export interface AcceptanceIsolationOptions {
  baseUrl: string;
  healthyApiKey: string;
  carelessApiKey: string;
  /** Requests per second of the whole load; the poison is `poisonShare` of it. */
  rate: number;
  poisonShare: number;
  durationSeconds: number;
}

function figures(result: autocannon.Result): LoadFigures {
  return {
    requests: result.requests.total,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    status4xx: result['4xx'],
    status5xx: result['5xx'],
  };
}

function load(
  baseUrl: string,
  apiKey: string,
  requests: { path: string; body: unknown }[],
  rate: number,
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections: Math.max(1, Math.min(50, Math.ceil(rate / 20))),
    overallRate: Math.max(1, Math.round(rate)),
    duration,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    requests: requests.map((r) => ({ method: 'POST', path: r.path, body: JSON.stringify(r.body) })),
  });
}

/**
 * The healthy account alone at (1 - poisonShare) of the rate, then the same beside the poisoned account at
 * poisonShare of it. Goal: 0 errors for the healthy account and its p99 within 10 % of the run alone.
 */
export async function measureAcceptanceIsolation(options: AcceptanceIsolationOptions) {
  const { baseUrl, rate, poisonShare, durationSeconds } = options;
  const healthyRate = rate * (1 - poisonShare);
  const healthy = [{ path: '/emails', body: valid }];
  await load(baseUrl, options.healthyApiKey, healthy, healthyRate, 3); // warm-up, discarded
  const alone = figures(await load(baseUrl, options.healthyApiKey, healthy, healthyRate, durationSeconds));
  const [beside, poison] = await Promise.all([
    load(baseUrl, options.healthyApiKey, healthy, healthyRate, durationSeconds),
    load(baseUrl, options.carelessApiKey, poisoned, rate * poisonShare, durationSeconds),
  ]);
  return { alone, beside: figures(beside), poison: figures(poison) };
}

export function printAcceptanceIsolation(
  result: Awaited<ReturnType<typeof measureAcceptanceIsolation>>,
  options: Pick<AcceptanceIsolationOptions, 'rate' | 'poisonShare' | 'durationSeconds'>,
): void {
  const { alone, beside, poison } = result;
  const ratio = alone.p99 > 0 ? `${((beside.p99 / alone.p99 - 1) * 100).toFixed(1)} %` : 'n/a';
  console.log(
    `\n(a) POST /emails of a healthy account, ${options.rate} req/s in all, ${options.poisonShare * 100} % poisoned by another account, ${options.durationSeconds} s`,
  );
  console.log(`    alone (baseline)  p99 ${alone.p99} ms   errors ${alone.errors} of ${alone.requests}`);
  console.log(`    beside the poison p99 ${beside.p99} ms   errors ${beside.errors} of ${beside.requests}`);
  console.log(`    p99 change        ${ratio}   (goal: 0 errors, within 10 %)`);
  console.log(
    `    poisoned requests ${poison.requests}: ${poison.status4xx} answered 4xx, ${poison.status5xx} answered 5xx ` +
      '(goal: no 5xx; a poisoned batch answers 200 with a 400 for its bad message)',
  );
}
