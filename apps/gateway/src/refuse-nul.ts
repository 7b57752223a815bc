import { ApiError, meta } from '@postline/http';
import type { FastifyInstance } from 'fastify';

/**
 * Refuses U+0000 in any string of the path, query or JSON body with 400, naming the field: Postgres cannot store
 * it in text, so without this guard it reached the database and failed there with a 500.
 */
export function refuseNul(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const field =
      nulIn(request.params, '') ??
      nulIn(request.query, '') ??
      (request.body === undefined ? undefined : nulIn(request.body, ''));
    if (field === undefined) return done();
    const details = [{ field: field || 'body', message: `${field || 'body'} must not contain NUL characters` }];
    void reply.status(400).send({ meta: meta(request.id), error: ApiError.validation(details).toBody() });
  });
}

/** The path of the first string (value or key) holding U+0000, or undefined. */
function nulIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = nulIn(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}
