import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An SES v2 error as the REST/JSON protocol sends it: status, `x-amzn-errortype` and `{"message"}`. */
export interface SesErrorReply {
  status: number;
  type: string;
  message: string;
}

export const SesErrors = {
  throttled: { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  internal: { status: 500, type: 'InternalFailure', message: 'An internal error occurred.' },
  unavailable: { status: 503, type: 'ServiceUnavailable', message: 'Service is unavailable.' },
  rejected: {
    status: 400,
    type: 'MessageRejected',
    message: 'Email address is not verified. The following identities failed the check.',
  },
  mailFrom: {
    status: 400,
    type: 'MailFromDomainNotVerifiedException',
    message: 'The MAIL FROM domain is not verified.',
  },
  paused: { status: 400, type: 'SendingPausedException', message: 'Sending is paused for this account.' },
  suspended: { status: 400, type: 'AccountSuspendedException', message: 'The account is suspended.' },
} satisfies Record<string, SesErrorReply>;

/** What to do with one SendEmail request. */
export type Behaviour =
  | { kind: 'accept' }
  | { kind: 'fail'; error: SesErrorReply }
  /** Read the request, then never answer (the client's request timeout decides). */
  | { kind: 'hang' }
  /** Take the message (it counts as sent) and run `then` before answering, e.g. to kill the caller. */
  | { kind: 'accept-then'; then: () => void | Promise<void> };

export interface ReceivedSend {
  messageId: string;
  at: number;
  body: {
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[] };
    EmailTags?: { Name: string; Value: string }[];
    Content?: { Simple?: { Headers?: { Name: string; Value: string }[]; Subject?: { Data: string } } };
    ConfigurationSetName?: string;
  };
}

/**
 * A stand-in for SES v2 that fails on command, for the paths the emulator cannot show (it never throttles
 * or errs). It speaks the REST/JSON shapes the AWS SDK parses: SendEmail and GetAccount.
 */
export class SesStandIn {
  /** Messages SES "accepted" (a MessageId was issued). */
  readonly accepted: ReceivedSend[] = [];
  /** Every SendEmail request received, answered or not. */
  readonly requests: { at: number; emailId?: string }[] = [];
  private readonly script: Behaviour[] = [];
  private fallback: Behaviour = { kind: 'accept' };
  private sequence = 0;
  /** GetAccount's answer. */
  account = { SendingEnabled: true, EnforcementStatus: 'HEALTHY', MaxSendRate: 1000 };
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<SesStandIn> {
    const holder: { standIn?: SesStandIn } = {};
    const server = createServer((req, res) => void holder.standIn?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.standIn = new SesStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.standIn;
  }

  /** The next SendEmail requests get these behaviours, in order; later ones get the fallback. */
  next(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Every SendEmail request not scripted with `next` gets this. */
  always(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  reset(): void {
    this.script.length = 0;
    this.fallback = { kind: 'accept' };
    this.account = { SendingEnabled: true, EnforcementStatus: 'HEALTHY', MaxSendRate: 1000 };
  }

  requestsFor(emailId: string): number {
    return this.requests.filter((r) => r.emailId === emailId).length;
  }

  acceptedFor(emailId: string): ReceivedSend[] {
    return this.accepted.filter((s) => s.body.EmailTags?.some((t) => t.Name === 'email_id' && t.Value === emailId));
  }

  /** Stops listening (callers get ECONNREFUSED) until `listenAgain`; open connections are cut. */
  async refuseConnections(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async listenAgain(): Promise<void> {
    const port = Number(new URL(this.endpoint).port);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url?.startsWith('/v2/email/account')) {
      return this.json(res, 200, {
        SendingEnabled: this.account.SendingEnabled,
        EnforcementStatus: this.account.EnforcementStatus,
        ProductionAccessEnabled: true,
        SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: this.account.MaxSendRate, SentLast24Hours: 0 },
      });
    }
    if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-emails')) {
      return this.error(res, { status: 404, type: 'NotFoundException', message: `no route ${req.method} ${req.url}` });
    }
    const body = JSON.parse(raw) as ReceivedSend['body'];
    const emailId = body.EmailTags?.find((t) => t.Name === 'email_id')?.Value;
    this.requests.push({ at: Date.now(), emailId });
    const behaviour = this.script.shift() ?? this.fallback;
    switch (behaviour.kind) {
      case 'fail':
        return this.error(res, behaviour.error);
      case 'hang':
        this.hanging.add(res);
        return;
      case 'accept':
        return this.json(res, 200, { MessageId: this.accept(body) });
      case 'accept-then': {
        const messageId = this.accept(body);
        await behaviour.then();
        if (!res.destroyed) this.json(res, 200, { MessageId: messageId });
        return;
      }
    }
  }

  private accept(body: ReceivedSend['body']): string {
    this.sequence += 1;
    const messageId = `0100018c-standin-${String(this.sequence).padStart(8, '0')}-000000`;
    this.accepted.push({ messageId, at: Date.now(), body });
    return messageId;
  }

  private json(res: ServerResponse, status: number, payload: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${Date.now()}` });
    res.end(JSON.stringify(payload));
  }

  private error(res: ServerResponse, error: SesErrorReply): void {
    res.writeHead(error.status, {
      'content-type': 'application/json',
      'x-amzn-requestid': `req-${Date.now()}`,
      'x-amzn-errortype': `${error.type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/`,
    });
    res.end(JSON.stringify({ message: error.message }));
  }
}
