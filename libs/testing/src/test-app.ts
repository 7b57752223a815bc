import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenApiDocument, OpenApiResponseValidator } from './openapi-response-validator';

/**
 * Boots an app module as its main.ts would (Fastify, envelope, filters) without listening; use `app.inject()`.
 * When the app serves its OpenAPI document (/docs-json), every response `app.inject()` returns is checked
 * against it and a mismatch fails the test: integration tests keep the document true without asking.
 */
export async function createTestApp(
  module: Type,
  configure?: (app: NestFastifyApplication) => void | Promise<void>,
): Promise<NestFastifyApplication> {
  // Imported lazily so that unit tests importing this lib do not load the HTTP stack.
  const { createHttpApp } = await import('@postline/http');
  const app = await createHttpApp(module, { configure });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const served = await app.inject({ method: 'GET', url: '/docs-json' });
  return served.statusCode === 200 ? validateResponses(app, served.json() as OpenApiDocument) : app;
}

type Inject = NestFastifyApplication['inject'];
type InjectOptions = Exclude<Parameters<Inject>[0], undefined>;

/** The app whose `inject(options)` checks each response against `document` and throws on a mismatch. */
export function validateResponses(app: NestFastifyApplication, document: OpenApiDocument): NestFastifyApplication {
  const validator = new OpenApiResponseValidator(document);
  const inject = app.inject.bind(app) as (options?: InjectOptions) => ReturnType<Inject>;
  const checkedInject = ((options?: InjectOptions) => {
    // The chained form (no options) is left unchecked; every test here passes options.
    if (options === undefined) return inject();
    const { method, url } = typeof options === 'string' ? { method: 'GET', url: options } : options;
    return (inject(options) as unknown as Promise<Awaited<ReturnType<Inject>>>).then((response) => {
      const problems = validator.problems({
        method: String(method ?? 'GET'),
        url: String(url ?? ''),
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
      });
      if (problems.length > 0) {
        throw new Error(`The response does not match the OpenAPI document:\n${problems.join('\n')}`);
      }
      return response;
    });
  }) as Inject;
  // Nest's application object is itself a proxy that refuses new properties: wrap it rather than patch it.
  return new Proxy(app, {
    get: (target, property) => {
      if (property === 'inject') return checkedInject;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
