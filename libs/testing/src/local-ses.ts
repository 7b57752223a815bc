import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import startSesEmulator from 'aws-ses-v2-local';

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo?: string[];
  destination: { to: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
  at: number;
  [key: string]: unknown;
}

/** `aws-ses-v2-local` started in this process on a free port, with helpers to read what it received. */
export class LocalSes {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<LocalSes> {
    const server = await startSesEmulator({ host: '127.0.0.1', port: 0 });
    const { port } = server.address() as AddressInfo;
    return new LocalSes(server, `http://127.0.0.1:${port}`);
  }

  async emails(): Promise<StoredEmail[]> {
    const res = await fetch(`${this.endpoint}/store`);
    return ((await res.json()) as { emails: StoredEmail[] }).emails;
  }

  async clear(): Promise<void> {
    await fetch(`${this.endpoint}/clear-store`, { method: 'POST' });
  }

  async eml(messageId: string): Promise<string> {
    const res = await fetch(`${this.endpoint}/get-emlContent?messageId=${encodeURIComponent(messageId)}`);
    return res.text();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
