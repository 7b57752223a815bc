import { SESv2Client } from '@aws-sdk/client-sesv2';

/** Where and how to reach SES v2. */
export interface SesClientSettings {
  /**
   * A local SES (`aws-ses-v2-local`). Set, the client uses static dummy credentials (the emulator checks no
   * signature); unset, the SDK talks to AWS with the standard credential chain.
   */
  endpoint?: string;
  region: string;
  /**
   * Attempts per call, the first included. 1 turns the SDK's own retries off: SendEmail must not be
   * retried behind the caller's back (SES has no idempotency key).
   */
  maxAttempts?: number;
  /** Time allowed to open a connection; a call that times out here never reached SES. */
  connectTimeoutMs?: number;
  /** Time allowed for the whole call once connected; a call that times out here may have reached SES. */
  requestTimeoutMs?: number;
  /** Connections kept open to SES (at least the number of concurrent calls). */
  maxSockets?: number;
  /**
   * How long a connection may wait unused in the pool before the client closes it. It must end before the
   * server closes it: a request written on a connection the server is closing fails with ECONNRESET, and a
   * SendEmail that failed so may have reached SES (it is never resent). A shorter `Keep-Alive: timeout`
   * announced by the server wins (Node closes 1 s before it).
   */
  idleSocketTimeoutMs?: number;
}

/** Below the 5 s keep-alive of a Node server (aws-ses-v2-local) even without its hint. */
const DEFAULT_IDLE_SOCKET_TIMEOUT_MS = 4_000;

/** Credentials for the local emulator, which checks no signature. */
export const LOCAL_SES_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** True when the settings point at a local SES rather than AWS. */
export function isLocalSes(settings: Pick<SesClientSettings, 'endpoint'>): boolean {
  return Boolean(settings.endpoint);
}

/**
 * Builds an SES v2 client. Timeouts are errors (the SDK only warns on a request timeout unless told to
 * throw), so a hung call always ends and its caller can decide what it means.
 */
export function createSesClient(settings: SesClientSettings): SESv2Client {
  // Node's Agent follows a server's keep-alive hint only when it has a timeout of its own; without one,
  // idle connections stay in the pool until the server drops them, possibly as a request goes out.
  const agent = {
    keepAlive: true,
    maxSockets: settings.maxSockets ?? 50,
    timeout: settings.idleSocketTimeoutMs ?? DEFAULT_IDLE_SOCKET_TIMEOUT_MS,
  };
  return new SESv2Client({
    region: settings.region,
    maxAttempts: settings.maxAttempts ?? 3,
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: LOCAL_SES_CREDENTIALS } : {}),
    requestHandler: {
      connectionTimeout: settings.connectTimeoutMs ?? 3_000,
      requestTimeout: settings.requestTimeoutMs ?? 15_000,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
}
