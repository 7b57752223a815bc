import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI document at /docs-json and Swagger UI at /docs, generated from the DTOs. (Tests serve the document
 * only: the UI's static-file plugin pulls an ES module that jest cannot load.)
 */
export function setupSwagger(app: NestFastifyApplication, ui: boolean): void {
  const config = new DocumentBuilder()
    .setTitle('Postline API')
    .setDescription(
      'Send email through Amazon SES, follow every status, get signed callbacks. Every response is ' +
        '`{ meta: { timestamp, transactionId }, data }`; errors are `{ meta, error: { code, message, details } }`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key, or ADMIN_API_KEY for /admin' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', ui });
}
