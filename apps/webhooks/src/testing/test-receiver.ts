import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export type ReceiverHandler = (request: ReceivedRequest, res: ServerResponse, index: number) => void | Promise<void>;

/** A callback receiver on 127.0.0.1 for tests and the benchmark: records every request, answers via `handler`. */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  handler: ReceiverHandler = (_req, res) => {
    res.writeHead(204).end();
  };

  private readonly server: Server;

  private constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        };
        const index = this.requests.push(request) - 1;
        void Promise.resolve(this.handler(request, res, index)).catch(() => res.destroy());
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  static async start(port = 0, handler?: ReceiverHandler): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    if (handler) receiver.handler = handler;
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(port, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Requests whose `webhook-id` is `id`. */
  byId(id: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.headers['webhook-id'] === id);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on right now (for a receiver that is down, then comes up there). */
