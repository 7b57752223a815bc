import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesClient } from './ses-client';

const input = {
  FromEmailAddress: 'promo@shop.test',
  Destination: { ToAddresses: ['user@example.com'] },
  Content: { Simple: { Subject: { Data: 'Promo' }, Body: { Text: { Data: 'offer' } } } },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An SES stand-in answering every SendEmail; `closedByClient` lists connections the client ended. */
async function startSes(
  configure: (server: Server, socketsIdleSince: Map<Socket, number>) => void,
): Promise<{ endpoint: string; connections: () => number; closedByClient: () => number; close: () => Promise<void> }> {
  let connections = 0;
  let closedByClient = 0;
  const idleSince = new Map<Socket, number>();
  const server = createServer((req, res) => {
    if (req.socket.destroyed) return;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ MessageId: 'stand-in' }), () => idleSince.set(req.socket, Date.now()));
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    socket.on('end', () => (closedByClient += 1));
  });
  configure(server, idleSince);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    closedByClient: () => closedByClient,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe(createSesClient.name, () => {
  let sut: SESv2Client | undefined;
  let ses: Awaited<ReturnType<typeof startSes>> | undefined;

  afterEach(async () => {
    sut?.destroy();
    await ses?.close();
    sut = undefined;
    ses = undefined;
  });

  it("closes an idle connection before the keep-alive timeout the server announces (Node's 5 s here 3 s)", async () => {
    ses = await startSes((server) => (server.keepAliveTimeout = 3_000));
    sut = createSesClient({ endpoint: ses.endpoint, region: 'us-east-1', maxAttempts: 1 });

    await sut.send(new SendEmailCommand(input));
    await sleep(2_500);

    expect(ses.closedByClient()).toBe(1);
    await sut.send(new SendEmailCommand(input));
    expect(ses.connections()).toBe(2);
  });

  it('does not reuse a connection the server drops, unannounced, when it has been idle too long', async () => {
    // No Keep-Alive hint; a request arriving on a connection idle for 400 ms or more is met with a reset,
    // as happens when a server's keep-alive timer fires while the request is on its way.
    ses = await startSes((server, idleSince) => {
      server.keepAliveTimeout = 0;
      server.prependListener('request', (req) => {
        const since = idleSince.get(req.socket);
        if (since !== undefined && Date.now() - since >= 400) req.socket.resetAndDestroy();
      });
    });
    sut = createSesClient({ endpoint: ses.endpoint, region: 'us-east-1', maxAttempts: 1, idleSocketTimeoutMs: 200 });

    await sut.send(new SendEmailCommand(input));
    await sleep(500);

    await expect(sut.send(new SendEmailCommand(input))).resolves.toMatchObject({ MessageId: 'stand-in' });
    expect(ses.closedByClient()).toBe(1);
  });

  it('keeps a connection in use between calls closer together than the idle timeout', async () => {
    ses = await startSes((server) => (server.keepAliveTimeout = 3_000));
    sut = createSesClient({ endpoint: ses.endpoint, region: 'us-east-1', maxAttempts: 1 });

    for (let i = 0; i < 3; i++) {
      await sut.send(new SendEmailCommand(input));
      await sleep(300);
    }

    expect(ses.connections()).toBe(1);
  });
});
