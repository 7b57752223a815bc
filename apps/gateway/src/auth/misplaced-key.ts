/** Names under which clients commonly send API keys, as query parameters or body fields. */
const KEY_NAMES = new Set(['api_key', 'apikey', 'api-key', 'key', 'access_token', 'token', 'auth', 'authorization']);
/** Headers some APIs read keys from; Postline reads only Authorization. */
const KEY_HEADERS = ['x-api-key', 'api-key', 'apikey', 'x-auth-token'];
/** Every Postline key starts so (api-key-format.ts); one under any other name is a key too. */
const KEY_SHAPE = /^pl_live_/;

function looksLikeKey(name: string, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return KEY_NAMES.has(name.toLowerCase().replace(/^x[-_]/, '')) || KEY_SHAPE.test(value);
}

function findIn(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  return Object.entries(source as Record<string, unknown>).find(([name, value]) => looksLikeKey(name, value))?.[0];
}

export interface RequestParts {
  query: unknown;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Where a request carries an API key other than in `Authorization` (`query.api_key`, `header.x-api-key`,
 * `body.apiKey`), or undefined. Such a request is refused: a key in a URL ends up in proxy and access logs.
 * Only the top level of a body is looked at: that is where clients put keys, and bodies can be large.
 */
export function misplacedKey(request: RequestParts): string | undefined {
  const header = KEY_HEADERS.find((name) => request.headers[name] !== undefined);
  if (header) return `header.${header}`;
  const inQuery = findIn(request.query);
  if (inQuery) return `query.${inQuery}`;
  const inBody = findIn(request.body);
  return inBody ? `body.${inBody}` : undefined;
}
