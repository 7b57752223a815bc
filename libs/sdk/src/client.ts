import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema';
import { type RetryOptions, retryingFetch } from './retrying-fetch';

export interface PostlineClientOptions {
  /** The gateway, e.g. `https://api.postline.example` (default http://127.0.0.1:3000). */
  baseUrl?: string;
  /** An API key of the account (`pl_live_…`), or ADMIN_API_KEY for /admin. */
  apiKey: string;
  retry?: RetryOptions;
  /** Another fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export type PostlineClient = Client<paths>;

/**
 * A typed client of every operation of the Postline API (generated from its OpenAPI document), which retries
 * 429 and 5xx answers safely (see retryingFetch). Every answer is `{ data, error, response }`: on success
 * `data` is the API's envelope `{ meta, data }`, on failure `error` is `{ meta, error: { code, message, details } }`.
 */
export function createPostlineClient(options: PostlineClientOptions): PostlineClient {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:3000',
    headers: { authorization: `Bearer ${options.apiKey}` },
    fetch: retryingFetch(options.fetch ?? globalThis.fetch, options.retry),
  });
}
