import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { setupSwagger } from './swagger';

/**
 * Gateway-specific HTTP setup shared by main.ts and tests. (Form bodies, which RFC 8058 one-click unsubscribe
 * posts, are parsed by the Fastify adapter itself.)
 */
export function configureGateway(app: NestFastifyApplication, swagger = true): void {
  if (swagger) setupSwagger(app);
}
