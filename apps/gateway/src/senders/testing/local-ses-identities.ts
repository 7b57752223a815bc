import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Status = 'PENDING' | 'SUCCESS' | 'FAILED' | 'TEMPORARY_FAILURE' | 'NOT_STARTED';

interface Identity {
  type: 'EMAIL_ADDRESS' | 'DOMAIN';
  status: Status;
  tokens: string[];
  mailFrom?: { domain: string; status: Status };
}

/**
 * A stand-in for the SES v2 identity API (the local emulator has none), speaking its REST-JSON wire format
 * so the real SDK talks to it: CreateEmailIdentity, GetEmailIdentity, DeleteEmailIdentity and
 * PutEmailIdentityMailFromAttributes. Tests move identities between states with `setStatus`.
 */
export class LocalSesIdentities {
  readonly identities = new Map<string, Identity>();
  readonly calls: string[] = [];
  /** When set, every call fails with this SES error name and HTTP status. */
  failure?: { name: string; status: number };
  private server?: Server;
  endpoint = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setStatus(identity: string, status: Status, mailFromStatus?: Status): void {
    const found = this.identities.get(identity);
    if (!found) throw new Error(`no identity ${identity}`);
    found.status = status;
    if (found.mailFrom && mailFromStatus) found.mailFrom.status = mailFromStatus;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    this.calls.push(`${req.method} ${path}`);
    if (this.failure) return send(res, this.failure.status, { message: 'stand-in failure' }, this.failure.name);
    const match = /^\/v2\/email\/identities(?:\/([^/]+))?(\/mail-from)?$/.exec(path);
    if (!match) return send(res, 404, { message: `no route ${path}` }, 'NotFoundException');
    const [, name, mailFrom] = match;

    if (req.method === 'POST' && !name) {
      const identity = String(body.EmailIdentity);
      if (this.identities.has(identity))
        return send(res, 400, { message: `Email identity ${identity} already exist.` }, 'AlreadyExistsException');
      const type = identity.includes('@') ? 'EMAIL_ADDRESS' : 'DOMAIN';
      const tokens = type === 'DOMAIN' ? Array.from({ length: 3 }, () => randomBytes(16).toString('hex')) : [];
      this.identities.set(identity, { type, status: 'PENDING', tokens });
      return send(res, 200, {
        IdentityType: type,
        VerifiedForSendingStatus: false,
        DkimAttributes: dkim(type, 'PENDING', tokens),
      });
    }
    const found = name ? this.identities.get(name) : undefined;
    if (!name || !found)
      return send(res, 404, { message: `Email identity ${name} does not exist.` }, 'NotFoundException');
    if (req.method === 'PUT' && mailFrom) {
      found.mailFrom = { domain: String(body.MailFromDomain), status: 'PENDING' };
      return send(res, 200, {});
    }
    if (req.method === 'DELETE' && !mailFrom) {
      this.identities.delete(name);
      return send(res, 200, {});
    }
    if (req.method === 'GET' && !mailFrom) {
      const checkedAt = Math.floor(Date.now() / 1000);
      return send(res, 200, {
        IdentityType: found.type,
        FeedbackForwardingStatus: true,
        VerifiedForSendingStatus: found.status === 'SUCCESS',
        DkimAttributes: dkim(found.type, found.type === 'DOMAIN' ? found.status : 'NOT_STARTED', found.tokens),
        ...(found.mailFrom
          ? {
              MailFromAttributes: {
                MailFromDomain: found.mailFrom.domain,
                MailFromDomainStatus: found.mailFrom.status,
                BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
              },
            }
          : {}),
        Policies: {},
        Tags: [],
        VerificationStatus: found.status,
        VerificationInfo: {
          LastCheckedTimestamp: checkedAt,
          ...(found.status === 'SUCCESS' ? { LastSuccessTimestamp: checkedAt } : {}),
          ...(found.status === 'FAILED' ? { ErrorType: 'TYPE_NOT_FOUND' } : {}),
        },
      });
    }
    return send(res, 405, { message: 'method not allowed' }, 'BadRequestException');
  }
}

function dkim(type: Identity['type'], status: Status, tokens: string[]) {
  return type === 'DOMAIN'
    ? {
        SigningEnabled: true,
        Status: status,
        Tokens: tokens,
        SigningHostedZone: 'dkim.amazonses.com',
        SigningAttributesOrigin: 'AWS_SES',
        NextSigningKeyLength: 'RSA_2048_BIT',
        CurrentSigningKeyLength: 'RSA_2048_BIT',
      }
    : { SigningEnabled: false, Status: 'NOT_STARTED', Tokens: [], SigningAttributesOrigin: 'AWS_SES' };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: object, errorType?: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomBytes(16).toString('hex'),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}
