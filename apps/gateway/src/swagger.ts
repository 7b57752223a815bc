import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** Tags in the order a user meets them. */
const TAGS: [string, string][] = [
  ['emails', 'Send email, look it up, follow its status'],
  ['webhooks', 'Signed callbacks on every status change: their delivery log, replays and the signing secret'],
  ['account', 'The calling account: settings and the notification URL'],
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
  return SwaggerModule.createDocument(app, builder.build());
}

/**
 * OpenAPI document at /docs-json and Swagger UI at /docs. (Tests serve the document only: the UI's static-file
 * plugin pulls an ES module that jest cannot load.)
 */
export function setupSwagger(app: NestFastifyApplication, ui: boolean): void {
  SwaggerModule.setup('docs', app, createGatewayDocument(app), { jsonDocumentUrl: 'docs-json', ui });
}
