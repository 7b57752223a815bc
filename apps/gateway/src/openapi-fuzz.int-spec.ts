import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeTestPool, createAccount, type TestAccount } from '@postline/testing';
import fc from 'fast-check';

// Process-wide so that a failure can be replayed: FUZZ_SEED=<seed> npx jest <this file>.
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 150);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Strings that break naive code: control characters (NUL first), header breakers, odd Unicode, SQL and markup. */
const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\r\n',
  'x\u0001\u001f\u007f',
  '\u202e\ufeff',
  '😀',
  '\ud800',
  '\'; DROP TABLE "Email"; --',
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  ' ',
  '',
];

/** Values of every JSON type, for a field of another type. */
const WRONG_TYPES = fc.constantFrom<unknown>(null, 0, -1, 1.5, true, [], {}, 'text', [null], { a: 1 });

/** Generates values from the document's schemas: mostly valid, some at or past a limit, some hostile. */
class SchemaArbitraries {
  constructor(private readonly document: Document) {}

  of(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const valid = this.valid(schema, depth);
    return fc.oneof(
      { weight: 6, arbitrary: valid },
      { weight: 1, arbitrary: this.boundary(this.resolve(schema)) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom<unknown>(...HOSTILE_STRINGS), WRONG_TYPES) },
    );
  }

  private resolve(schema: Schema): Schema {
    if (schema.$ref) return this.resolve(this.document.components.schemas[schema.$ref.split('/').pop() as string]);
    if (schema.allOf?.length === 1) return { ...this.resolve(schema.allOf[0]), nullable: schema.nullable };
    return schema;
  }

  private valid(raw: Schema, depth: number): fc.Arbitrary<unknown> {
    const schema = this.resolve(raw);
    const value = this.validNonNull(schema, depth);
    return schema.nullable ? fc.option(value, { nil: null, freq: 5 }) : value;
  }

  private validNonNull(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (alternatives) return fc.oneof(...alternatives.map((s) => this.valid(s, depth)));
    if (schema.enum) return fc.constantFrom(...schema.enum);
    switch (schema.type ?? 'string') {
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 });
      case 'number':
        return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.of(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          // Small arrays keep each case cheap; the boundary cases test the limits.
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      case 'object': {
        if (!schema.properties || depth > 3) return fc.constant({});
        const required = new Set(schema.required ?? []);
        const fields = Object.fromEntries(
          Object.entries(schema.properties).map(([name, s]) => [name, this.of(s, depth + 1)]),
        );
        return fc.record(fields, { requiredKeys: Object.keys(fields).filter((k) => required.has(k)) });
      }
      default:
        return this.string(schema);
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    switch (schema.format ?? 'none') {
      case 'email':
        return fc.oneof(
          fc.emailAddress(),
          fc.constantFrom('success@simulator.amazonses.com', 'promo@fuzz.test', 'user@bücher.example'),
        );
      case 'uri':
        return fc.webUrl({ withQueryParameters: true });
      case 'uuid':
        return fc.uuid();
      case 'date':
        return fc
          .date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'date-time':
        return fc
          .date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      default:
        break;
    }
    const maxLength = Math.min(schema.maxLength ?? 64, 64);
    const text = fc.string({ minLength: schema.minLength ?? 0, maxLength, unit: 'grapheme' });
    return schema.pattern ? text.filter((s) => new RegExp(schema.pattern as string, 'u').test(s)) : text;
  }

  /** Values at a limit and one past it. */
  private boundary(schema: Schema): fc.Arbitrary<unknown> {
    const values: unknown[] = [];
    if (schema.maxLength !== undefined) values.push('x'.repeat(schema.maxLength), 'x'.repeat(schema.maxLength + 1));
    if (schema.minLength !== undefined)
      values.push('x'.repeat(schema.minLength), 'x'.repeat(Math.max(schema.minLength - 1, 0)));
    if (schema.maximum !== undefined) values.push(schema.maximum, schema.maximum + 1);
    if (schema.minimum !== undefined) values.push(schema.minimum, schema.minimum - 1);
    if (schema.maxItems !== undefined) values.push(new Array(schema.maxItems + 1).fill('x'));
    if (schema.type === 'string' || schema.type === undefined)
      values.push('x'.repeat(1025), `${'é'.repeat(64)}@x.test`);
    return values.length > 0 ? fc.constantFrom(...values) : WRONG_TYPES;
  }
}

interface Case {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

describe('fuzzing every operation of the OpenAPI document (gateway)', () => {
  let app: NestFastifyApplication;
  let document: Document;
  let account: TestAccount;
  const known: { emailId?: string; senderId?: string } = {};

  beforeAll(async () => {
    const { AppModule } = await import('./app.module');
    const { configureGateway } = await import('./configure-app');
    const { createTestApp } = await import('@postline/testing');
    // createTestApp checks every response against the document the app serves.
    app = await createTestApp(AppModule, (a) => configureGateway(a, false));
    document = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    account = await createAccount({ senders: ['fuzz.test'] });
    const sent = await app.inject({
      method: 'POST',
      url: '/emails',
      headers: { authorization: `Bearer ${account.apiKey}` },
      payload: { to: 'success@simulator.amazonses.com', from: 'promo@fuzz.test', subject: 'Hi', text: 'Hello' },
    });
    known.emailId = sent.json().data.id;
  });

  afterAll(async () => {
    await app?.close();
    await closeTestPool();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );

  function caseOf(path: string, method: string, op: Operation): fc.Arbitrary<Case> {
    const arbitraries = new SchemaArbitraries(document);
    const params = op.parameters ?? [];
    const pathParams = Object.fromEntries(
      params
        .filter((p) => p.in === 'path')
        .map((p) => [
          p.name,
          fc.oneof(
            fc.constantFrom(account.accountId, known.emailId ?? '', 'some-token'),
            arbitraries.of(p.schema ?? { type: 'string' }),
          ),
        ]),
    );
    const query = Object.fromEntries(
      params.filter((p) => p.in === 'query').map((p) => [p.name, arbitraries.of(p.schema ?? { type: 'string' })]),
    );
    const idempotencyKey = params.some((p) => p.name === 'Idempotency-Key')
      ? // Header values are ASCII on the wire (Node refuses control characters in them).
        fc.option(fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'x'.repeat(256), "'; --", '%00')), { nil: undefined })
      : fc.constant(undefined);
    const json = op.requestBody?.content['application/json']?.schema;
    const form = op.requestBody?.content['application/x-www-form-urlencoded'];
    const body: fc.Arbitrary<string | undefined> = json
      ? fc.oneof(
          { weight: 9, arbitrary: arbitraries.of(json).map((b) => JSON.stringify(b)) },
          { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '[]', '"\\u0000"') },
        )
      : form
        ? fc.constantFrom('List-Unsubscribe=One-Click', 'List-Unsubscribe=%00', undefined)
        : fc.constant(undefined);
    const admin = path.startsWith('/admin');
    const auth = fc.constantFrom(
      admin ? `Bearer ${process.env.ADMIN_API_KEY}` : `Bearer ${account.apiKey}`,
      admin ? `Bearer ${process.env.ADMIN_API_KEY}` : `Bearer ${account.apiKey}`,
      'Bearer pl_live_wrong',
    );
    return fc
      .record({
        pathParams: fc.record(pathParams),
        query: fc.record(query, { requiredKeys: [] }),
        body,
        auth,
        idempotencyKey,
      })
      .map(({ pathParams: values, query: q, body: payload, auth: authorization, idempotencyKey: key }) => {
        // "." and ".." are dot segments, not values: a URL resolves them away (/senders/./refresh is
        // /senders/refresh), so they name another operation than the one fuzzed.
        const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          const value = encodeURIComponent(wellFormed(stringOf(values[name])) || 'x');
          return value === '.' || value === '..' ? `${value}x` : value;
        });
        const search = new URLSearchParams(
          Object.entries(q).map(([k, v]): [string, string] => [k, wellFormed(stringOf(v))]),
        ).toString();
        const headers: Record<string, string> = { authorization };
        if (key !== undefined) headers['idempotency-key'] = key;
        if (payload !== undefined)
          headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
        return { method, url: search ? `${url}?${search}` : url, headers, payload };
      });
  }

  it(`answers every operation without a 5xx, as documented (${RUNS_PER_OPERATION} cases each, seed ${SEED})`, async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(34);
    // A few operations run side by side: a case mostly waits on Postgres, so this keeps the test short.
    const queue = [...ops];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { path, method, op } = next;
        await fc.assert(
          fc.asyncProperty(caseOf(path, method, op), async (c) => {
            // createTestApp's inject throws when the response does not match the document.
            const res = await app.inject({ ...c, method: c.method as 'GET' });
            if (res.statusCode >= 500) throw new Error(`${c.method} ${c.url} → ${res.statusCode}: ${res.body}`);
          }),
          { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
        );
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  }, 600_000);
});

/** A lone surrogate cannot be percent-encoded: it travels as U+FFFD, as a browser would send it. */
function wellFormed(value: string): string {
  return value.replace(/\p{Cs}/gu, '\ufffd');
}

/** Query and path values are strings on the wire; headers may not carry some characters, the URL carries all. */
function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
