import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through proxy in front of the SES emulator that notes when each SendEmail call arrives (ms): the
 * emulator's own timestamps are whole seconds, too coarse to check a rate within 2 %.
 */
export class SesRecorder {
  readonly sendTimes: number[] = [];

  private constructor(private readonly server: Server) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  static async start(target: string): Promise<SesRecorder> {
    const upstream = new URL(target);
    const recorder: SesRecorder = new SesRecorder(
      createServer((req, res) => {
        if (req.method === 'POST' && req.url?.startsWith('/v2/email/outbound-emails')) {
          recorder.sendTimes.push(performance.timeOrigin + performance.now());
        }
        const forward = request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        forward.on('error', () => res.writeHead(502).end());
        req.pipe(forward);
      }),
    );
    await new Promise<void>((resolve) => recorder.server.listen(0, '127.0.0.1', () => resolve()));
    return recorder;
  }

  /** The most calls that arrived within any window of `windowMs` (a sliding window over the arrival times). */
  maxInWindow(windowMs: number): number {
    const times = [...this.sendTimes].sort((a, b) => a - b);
    let max = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end] - times[start] >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
