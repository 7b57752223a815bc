import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  webhookId: string;
  emailId: string;
  status: string;
}

/** Answers every callback 200 and keeps what arrived, duplicates included. */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];

  private constructor(private readonly server: Server) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  static async start(): Promise<CallbackReceiver> {
    const receiver: CallbackReceiver = new CallbackReceiver(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { id?: string; status?: string } };
            receiver.received.push({
              webhookId: String(req.headers['webhook-id'] ?? ''),
              emailId: body.data?.id ?? '',
              status: body.data?.status ?? '',
            });
          } catch {
            // A body that is not JSON is still an attempt; it simply names no email.
          }
          res.writeHead(200).end('ok');
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', () => resolve()));
    return receiver;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
