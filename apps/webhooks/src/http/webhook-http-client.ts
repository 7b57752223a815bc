import { Agent, request } from 'undici';
import type Dispatcher from 'undici/types/dispatcher';
import { guardedConnector, type Resolver } from './guarded-connector';
import { TargetRefusedError } from './target-refused.error';

export interface WebhookHttpClientOptions {
  /** Limit of the whole attempt: connect, response headers and the capped body. */
  timeoutMs: number;
  /** Response bytes read at most; past it the connection is dropped. */
  bodyLimit: number;
  allowPrivateTargets: boolean;
  resolver?: Resolver;
}

/** What one POST came to: a response (any status) or no response at all. */
export type PostResult =
  | { kind: 'response'; statusCode: number; latencyMs: number; retryAfter?: string; location?: string; body: string }
  | { kind: 'error'; latencyMs: number; error: string; refused: boolean; timedOut: boolean };

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads at most `limit` bytes; a longer body is cut and its connection destroyed, so huge replies cost nothing. */
async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        body.destroy();
        break;
      }
    }
  } catch {
    // A body that breaks off after the status line does not change the status the receiver gave.
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    const cause = (error as { cause?: unknown }).cause;
    const detail = error.message || (cause instanceof Error ? cause.message : '') || error.name;
    return code && !detail.includes(code) ? `${code}: ${detail}` : detail;
  }
  return String(error);
}

/**
 * POSTs callbacks with undici: keep-alive pools per receiver, SSRF checks when a connection opens, no
 * redirects followed, a hard deadline per attempt and a cap on what is read back.
 */
export class WebhookHttpClient {
  private readonly agent: Agent;

  constructor(private readonly options: WebhookHttpClientOptions) {
    this.agent = new Agent({
      connect: guardedConnector({
        allowPrivate: options.allowPrivateTargets,
        connectTimeoutMs: Math.min(options.timeoutMs, 10_000),
        resolver: options.resolver,
      }),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4_000,
    });
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { kind: 'error', latencyMs: 0, error: 'invalid URL', refused: true, timedOut: false };
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return {
        kind: 'error',
        latencyMs: 0,
        error: `unsupported scheme ${target.protocol}`,
        refused: true,
        timedOut: false,
      };
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    try {
      const response = await request(target, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: controller.signal,
      });
      const text = await readCapped(response.body, this.options.bodyLimit);
      return {
        kind: 'response',
        statusCode: response.statusCode,
        latencyMs: latency(),
        retryAfter: header(response.headers, 'retry-after'),
        location: header(response.headers, 'location'),
        body: text,
      };
    } catch (error) {
      const cause = (error as { cause?: unknown } | null)?.cause;
      const refusal =
        error instanceof TargetRefusedError ? error : cause instanceof TargetRefusedError ? cause : undefined;
      return {
        kind: 'error',
        latencyMs: latency(),
        error: refusal ? refusal.message : timedOut ? `timed out after ${this.options.timeoutMs} ms` : describe(error),
        refused: refusal !== undefined,
        timedOut,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
