import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from './api-error';
import { type ErrorDetail, meta } from './envelope';

// U+0000: Postgres text and jsonb cannot hold it (22021/22P05) and mail headers must not carry it. A lone
// UTF-16 surrogate has no UTF-8 form: Postgres refuses it and mail would carry U+FFFD instead.
/* eslint-disable no-control-regex -- matching NUL is the point */
const UNSTORABLE = /\u0000|\p{Cs}/u;
const UNSTORABLE_ALL = /\u0000|\p{Cs}/gu;
const NUL_ALL = /\u0000/g;
/* eslint-enable no-control-regex */

function describe(text: string): string {
  return text.includes('\u0000')
    ? 'must not contain the character U+0000 (NUL)'
    : 'must not contain an unpaired UTF-16 surrogate (U+D800–U+DFFF)';
}

/**
 * The first place in `value` (strings, array items, object keys and values) holding a character that
 * Postgres or mail cannot carry, named like validation errors (`messages[2].text`), or undefined.
 */
export function findUnstorableText(value: unknown, field: string): ErrorDetail | undefined {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? { field, message: `${field} ${describe(value)}` } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${field}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const name = field ? `${field}.${key}` : key;
      if (UNSTORABLE.test(key)) {
        const printable = name.replace(NUL_ALL, '\\u0000').replace(/\p{Cs}/gu, '\\uFFFD');
        return { field: printable, message: `field names ${describe(key)}` };
      }
      const found = findUnstorableText(item, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Replaces what Postgres cannot hold by U+FFFD, for text received from a trusted party that must be kept. */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE_ALL, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storableText(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableText(v)])) as T;
  }
  return value;
}

const ITEMS_CHECKED_BY_HANDLER = 'postlineItemsCheckedByHandler';

/**
 * Marks a route whose body items are checked one by one by its handler (a batch answers each message on its
 * own), so the hook below leaves its body alone; path and query are still checked.
 */
export const BodyItemsCheckedByHandler = (): MethodDecorator => RouteConfig({ [ITEMS_CHECKED_BY_HANDLER]: true });

/**
 * Refuses, on every route and before any handler runs, a path parameter, query parameter or body field
 * holding U+0000 or a lone surrogate: 400 naming the field and the rule. (Node's HTTP parser already refuses
 * such bytes in headers.)
 */
export function refuseUnstorableText(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, reply, done) => {
    const found =
      findUnstorableText(request.params, '') ??
      findUnstorableText(request.query, '') ??
      (itemsCheckedByHandler(request.routeOptions.config) ? undefined : findUnstorableText(request.body, ''));
    if (!found) {
      done();
      return;
    }
    void reply.status(400).send({
      meta: meta(request.id),
      error: { code: ErrorCode.ValidationFailed, message: `${found.field}: ${found.message}`, details: [found] },
    });
  });
}

function itemsCheckedByHandler(config: unknown): boolean {
  return (config as { [ITEMS_CHECKED_BY_HANDLER]?: boolean } | undefined)?.[ITEMS_CHECKED_BY_HANDLER] === true;
}
