import type { LookupAddress } from 'node:dns';
import type { buildConnector } from 'undici';
import { guardedConnector, guardedLookup, type Resolver } from './guarded-connector';
import { TargetRefusedError } from './target-refused.error';

function connectWith(sut: buildConnector.connector, hostname: string): Promise<Error | null> {
  return new Promise((resolve) => sut({ hostname, protocol: 'http:', port: '80' }, (...args) => resolve(args[0])));
}

function lookupWith(
  resolver: Resolver,
  hostname: string,
  all: boolean,
): Promise<{ error: Error | null; address: unknown; family?: number }> {
  return new Promise((resolve) =>
    guardedLookup(resolver)(hostname, { all }, ((error: Error | null, address: unknown, family?: number) =>
      resolve({ error, address, family })) as never),
  );
}

describe(guardedConnector.name, () => {
  const opened: string[] = [];
  const base: buildConnector.connector = (options, callback) => {
    opened.push(options.hostname);
    callback(new Error('stub: not connecting'), null);
  };

  beforeEach(() => (opened.length = 0));

  it.each(['10.0.0.1', '192.168.1.1', '169.254.169.254', '127.0.0.1', '[::1]', '[fd00::1]', '::ffff:192.168.0.1'])(
    'refuses the IP literal %s before any socket is opened',
    async (hostname) => {
      const sut = guardedConnector({ allowPrivate: false, connectTimeoutMs: 1000, base });
      const error = await connectWith(sut, hostname);
      expect(error).toBeInstanceOf(TargetRefusedError);
      expect(opened).toEqual([]);
    },
  );

  it('hands public IP literals and host names to the socket connector', async () => {
    const sut = guardedConnector({ allowPrivate: false, connectTimeoutMs: 1000, base });
    await connectWith(sut, '93.184.216.34');
    await connectWith(sut, 'hooks.example.com');
    expect(opened).toEqual(['93.184.216.34', 'hooks.example.com']);
  });

  it('lets private targets through when they are allowed', async () => {
    const sut = guardedConnector({ allowPrivate: true, connectTimeoutMs: 1000, base });
    const error = await connectWith(sut, '10.0.0.1');
    expect(error).not.toBeInstanceOf(TargetRefusedError);
    expect(opened).toEqual(['10.0.0.1']);
  });
});

describe(guardedLookup.name, () => {
  const answer =
    (addresses: LookupAddress[]): Resolver =>
    async () =>
      addresses;

  it('returns exactly the checked addresses, so the socket connects to one of them', async () => {
    const addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ];
    expect(await lookupWith(answer(addresses), 'hooks.example.com', true)).toEqual({
      error: null,
      address: addresses,
      family: undefined,
    });
    expect(await lookupWith(answer(addresses), 'hooks.example.com', false)).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('refuses the whole answer when any address in it is refused (DNS rebinding, mixed answers)', async () => {
    const result = await lookupWith(
      answer([
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]),
      'evil.example',
      true,
    );
    expect(result.error).toBeInstanceOf(TargetRefusedError);
    expect(result.error?.message).toBe('refused to connect to evil.example (127.0.0.1): loopback address');
  });

  it('passes resolution errors on', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' });
    };
    expect((await lookupWith(failing, 'nowhere.invalid', true)).error?.message).toContain('ENOTFOUND');
  });
});
