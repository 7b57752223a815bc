export interface Latency {
  p50: number;
  p99: number;
  max: number;
  rps: number;
}

/**
 * `requests` GETs from `concurrency` keep-alive loops; every answer must be 200. `url` may be a function of
 * the request's number, to spread the requests over many resources (ids, cursors).
 */
export async function measureGets(
  url: string | ((n: number) => string),
  headers: Record<string, string>,
  requests: number,
  concurrency: number,
): Promise<Latency> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    while (next < requests) {
      const target = typeof url === 'string' ? url : url(next);
      next += 1;
      const t = performance.now();
      const res = await fetch(target, { headers });
      await res.arrayBuffer();
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`${target} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1], rps: requests / elapsed };
}

export const formatLatency = (l: Latency) =>
  `p50 ${l.p50.toFixed(2)} ms   p99 ${l.p99.toFixed(2)} ms   max ${l.max.toFixed(1)} ms   ${l.rps.toFixed(0)} req/s`;
