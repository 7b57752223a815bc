import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Tags in the order a user meets them. */
const TAGS: [string, string][] = [
  ['emails', 'Send email, look it up, follow its status'],
  ['webhooks', 'Signed callbacks on every status change: their delivery log, replays and the signing secret'],
  ['account', 'The calling account: settings and the notification URL'],
  ['api-keys', 'The account’s API keys: list, create, revoke, regenerate (a secret is shown once)'],
  ['senders', 'Verified sender identities and the DNS records to publish'],
  ['suppressions', 'Addresses never mailed again (hard bounces, complaints, unsubscribes, by hand)'],
  ['reports', 'Campaign and account reports from counters, as JSON or CSV'],
  ['reputation', 'Bounce and complaint rates of the account and its state'],
  ['unsubscribe', 'The unsubscribe link of every email (no API key: the token is signed)'],
  ['admin', 'The support team: accounts, API keys, sender identities, blocks (ADMIN_API_KEY)'],
];

/**
 * The gateway's OpenAPI document, generated from the controllers and DTOs so that it cannot drift from them.
 * How to document an operation (the response validation of the integration tests and the fuzz test check it):
 * - the success body with `@ApiEnvelopeResponse(ViewClass, { status })` (libs/http), `[ViewClass]` for a list;
 *   the view class's `@ApiProperty` decorators give every field its format, limits, enum and nullability;
 * - every error it can answer with `@ApiErrorResponses(400, 401, …)` (on the controller for the common ones);
 * - request DTOs carry the same limits in `@ApiProperty` as in their class-validator decorators.
 */
export function createGatewayDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Postline API')
    .setDescription(
      'Send email through Amazon SES, follow every status, get signed callbacks. Every response is ' +
        '`{ meta: { timestamp, transactionId }, data }`; errors are `{ meta, error: { code, message, details } }`. ' +
        'A method a path does not support is answered 405 with `Allow`.',
    )
    .setVersion('1.0')
    .setLicense('UNLICENSED', 'https://postline.test/terms')
    .addServer('{baseUrl}', 'Where the gateway runs', {
      baseUrl: { default: 'http://127.0.0.1:3000', description: "The gateway's base URL" },
    })
    // Opaque keys (`pl_live_…`), not JWTs: no bearerFormat.
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'An API key of the account (`pl_live_…`)',
    })
    .addSecurity('admin', { type: 'http', scheme: 'bearer', description: 'ADMIN_API_KEY, for /admin only' });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return inStableOrder(withCommonResponses(SwaggerModule.createDocument(app, builder.build())));
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Nest lists paths and schemas in the order it meets the controllers, which follows how the feature modules
 * import each other. Ordered here instead — paths by tag (as TAGS) then path, methods as HTTP lists them, schemas
 * by name — the document (and the SDK generated from it) changes only when the API does.
 */
function inStableOrder(document: OpenAPIObject): OpenAPIObject {
  const tagRank = (item: object): number => {
    const operation = Object.values(item).find((value): value is { tags?: string[] } => typeof value === 'object');
    const rank = TAGS.findIndex(([name]) => name === operation?.tags?.[0]);
    return rank === -1 ? TAGS.length : rank;
  };
  const byKey = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries);
  const methodRank = (key: string): number => (METHODS.includes(key) ? METHODS.indexOf(key) : -1);
  const paths = Object.entries(document.paths)
    .sort(([a, x], [b, y]) => tagRank(x) - tagRank(y) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, item]): [string, typeof item] => [
      path,
      byKey(Object.entries(item).sort(([a], [b]) => methodRank(a) - methodRank(b))) as typeof item,
    ]);
  const schemas = document.components?.schemas;
  return {
    ...document,
    paths: byKey(paths),
    ...(schemas && {
      components: {
        ...document.components,
        schemas: byKey(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      },
    }),
  };
}

const ERROR_ENVELOPE = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelopeDoc' } } };
const RATE_LIMIT_HEADERS = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer', minimum: 0 } },
};

/**
 * What every operation can answer whatever its controller says: a key-authenticated operation is rate limited
 * per key and per account (429), and any operation can fail unexpectedly (500, a generic message and a request
 * id to quote). Added here once rather than on every handler.
 */
function withCommonResponses(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      if (operation.security?.length && !operation.responses['429']) {
        operation.responses['429'] = {
          description: 'Too many requests for this key, account or source address (RATE_LIMITED)',
          headers: RATE_LIMIT_HEADERS,
          content: ERROR_ENVELOPE,
        };
      }
      operation.responses['500'] ??= {
        description: 'Unexpected failure (INTERNAL_ERROR): quote `meta.transactionId`',
        content: ERROR_ENVELOPE,
      };
    }
  }
  return document;
}

/**
 * OpenAPI document at /docs-json and Swagger UI at /docs. (Tests serve the document only: the UI's static-file
 * plugin pulls an ES module that jest cannot load.)
 */
export function setupSwagger(app: NestFastifyApplication, ui: boolean): void {
  SwaggerModule.setup('docs', app, createGatewayDocument(app), { jsonDocumentUrl: 'docs-json', ui });
}
