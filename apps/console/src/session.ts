import { createPostlineClient, type PostlineClient } from '@postline/client';

/** Who signed in: a customer with one of the account's API keys, or the support team with ADMIN_API_KEY. */
export type Role = 'customer' | 'operator';

export interface Session {
  role: Role;
  key: string;
  /** The account's name (customer) or "operators". */
  label: string;
}

// sessionStorage, not localStorage: the key is forgotten when the browser tab closes.
const STORAGE_KEY = 'postline.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The API is the origin that serves the console (the gateway; Vite's dev server proxies to it). */
export function clientFor(key: string): PostlineClient {
  // Reads are retried on 429/5xx by the SDK; the console asks again on its own when the user does.
  return createPostlineClient({ baseUrl: window.location.origin, apiKey: key, retry: { retries: 2 } });
}

/** The API's error envelope as a message a person can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiFailure) {
    // A 400 names each field and its rule in `details` (a template's missing variable, …): show them.
    const fields = error.details.map((d) => `${d.field}: ${d.message}`).join('; ');
    return fields ? `${error.message} (${fields})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** What the API's envelope `{ meta, data }` carries (operations that can also answer CSV type `data` as text too). */
type Payload<D> = Exclude<D, string> extends { data: infer T } ? T : never;

/** The `data` of a successful answer; throws ApiFailure with the API's code and message otherwise. */
export async function unwrap<D>(call: Promise<Answer<D>>): Promise<Payload<D>> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined && typeof data === 'object' && data !== null && 'data' in data) {
    return (data as { data: Payload<D> }).data;
  }
  const body = error as
    { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } } | undefined;
  throw new ApiFailure(
    response.status,
    body?.error?.code ?? `HTTP_${response.status}`,
    body?.error?.message ?? `${response.status} ${response.statusText}`,
    Array.isArray(body?.error?.details) ? body.error.details : [],
  );
}
