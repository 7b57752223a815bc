import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

interface MediaType {
  schema?: Schema;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
/** The parts of an OpenAPI 3.0 document the validator reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface ResponseToCheck {
  method: string;
  url: string;
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** Served on purpose outside the document (probes, the document itself, the web console's files). */
const UNDOCUMENTED = /^\/(health|metrics|docs|console)(\/|-json|$)/;

/**
 * Checks HTTP responses against an OpenAPI 3.0 document: the status must be documented for the operation, the
 * content type must be one it documents, and a JSON body must match its schema, compiled by ajv (with
 * ajv-formats). Stricter than the document on purpose: an object may carry no property it does not document,
 * so a field added to a response without its documentation fails. A method a known path does not support must
 * be answered 405 with `Allow`.
 */
export class OpenApiResponseValidator {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly components: Record<string, unknown>;
  private readonly paths: { pattern: RegExp; template: string }[];

  constructor(private readonly document: OpenApiDocument) {
    this.components = toJsonSchema(document.components ?? {}) as Record<string, unknown>;
    this.paths = Object.keys(document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** The problems of one response; empty when it matches the document. */
  problems(response: ResponseToCheck): string[] {
    const path = response.url.split('?')[0];
    const method = response.method.toLowerCase();
    const template = this.paths.find((p) => p.pattern.test(path))?.template;
    if (!template) {
      return UNDOCUMENTED.test(path) || response.statusCode === 404 ? [] : [`${path} is not in the document`];
    }
    const item = this.document.paths[template];
    const operation = item[method === 'head' && !item.head ? 'get' : method];
    if (!operation || !METHODS.has(method)) {
      if (response.statusCode !== 405)
        return [`${method.toUpperCase()} ${template}: undocumented method answered ${response.statusCode}`];
      return response.headers.allow ? this.body(response, `${template} 405`, ERROR_ENVELOPE) : ['405 without Allow'];
    }
    const documented = operation.responses[String(response.statusCode)] ?? operation.responses.default;
    const where = `${method.toUpperCase()} ${template} ${response.statusCode}`;
    if (!documented) return [`${where}: status not documented (body ${response.body.slice(0, 300)})`];
    if (method === 'head' || !documented.content) return [];
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const media = documented.content[type];
    if (!media) return [`${where}: content type "${type}" not documented`];
    if (!media.schema || type !== 'application/json') return [];
    return this.body(response, where, media.schema);
  }

  private body(response: ResponseToCheck, where: string, schema: Schema): string[] {
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`${where}: the body is not JSON`];
    }
    let validate = this.compiled.get(where);
    if (!validate) {
      validate = this.ajv.compile({ ...(toJsonSchema(schema) as Schema), components: this.components });
      this.compiled.set(where, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${where}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  }
}

const ERROR_ENVELOPE: Schema = { $ref: '#/components/schemas/ErrorEnvelopeDoc' };

/**
 * OpenAPI 3.0 schemas as JSON Schema for ajv: `nullable` becomes "or null" (ajv's own support needs a sibling
 * `type`, which `allOf: [$ref]` lacks), and every object with properties refuses undocumented ones.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // `example(s)` are data, not schemas; `properties` maps names to schemas (a property may be called "nullable").
    out[key] = key === 'example' || key === 'examples' ? value : toJsonSchema(value);
  }
  if (out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}
