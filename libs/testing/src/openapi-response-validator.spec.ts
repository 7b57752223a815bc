import { type OpenApiDocument, OpenApiResponseValidator } from './openapi-response-validator';

const document: OpenApiDocument = {
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'at'],
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    at: { type: 'string', format: 'date-time', nullable: true },
                    owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] },
                  },
                },
              },
            },
          },
          '404': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelopeDoc' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Owner: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 3 } } },
      ErrorEnvelopeDoc: { type: 'object', required: ['error'], properties: { error: { type: 'object' } } },
    },
  },
};

const json = { 'content-type': 'application/json; charset=utf-8' };
const ID = '7d0f3c52-3c8e-4e7a-9a51-0b9a1f1e2d3c';

describe(OpenApiResponseValidator.name, () => {
  const sut = new OpenApiResponseValidator(document);
  const check = (statusCode: number, body: unknown, method = 'GET', headers: Record<string, string> = json) =>
    sut.problems({ method, url: `/things/${ID}?x=1`, statusCode, headers, body: JSON.stringify(body) });

  it('accepts a response that matches its schema, nullable fields and refs included', () => {
    expect(check(200, { id: ID, at: null, owner: null })).toEqual([]);
    expect(check(200, { id: ID, at: '2026-12-05T10:00:00.000Z', owner: { name: 'ann' } })).toEqual([]);
  });

  it('names the field of a body that breaks the schema: format, limit, missing or undocumented field', () => {
    expect(check(200, { id: 'nope', at: null })).toEqual([expect.stringContaining('/id must match format "uuid"')]);
    expect(check(200, { id: ID, at: null, owner: { name: 'anne' } })).toEqual(
      expect.arrayContaining([expect.stringContaining('/owner/name must NOT have more than 3 characters')]),
    );
    expect(check(200, { id: ID })).toEqual([expect.stringContaining("must have required property 'at'")]);
    expect(check(200, { id: ID, at: null, extra: 1 })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
  });

  it('refuses an undocumented status, content type or path, and a 405 without Allow', () => {
    expect(check(500, { error: {} })).toEqual([expect.stringContaining('status not documented')]);
    expect(check(200, 'x', 'GET', { 'content-type': 'text/html' })).toEqual([
      expect.stringContaining('content type "text/html" not documented'),
    ]);
    expect(sut.problems({ method: 'GET', url: '/other', statusCode: 200, headers: json, body: '{}' })).toEqual([
      '/other is not in the document',
    ]);
    expect(check(404, { error: {} }, 'PUT')).toEqual([expect.stringContaining('undocumented method answered 404')]);
    expect(check(405, { error: {} }, 'PUT')).toEqual(['405 without Allow']);
    expect(check(405, { error: {} }, 'PUT', { ...json, allow: 'GET, HEAD' })).toEqual([]);
  });

  it('leaves unknown routes (404) and the probes alone', () => {
    expect(sut.problems({ method: 'GET', url: '/nowhere', statusCode: 404, headers: json, body: '{}' })).toEqual([]);
    expect(sut.problems({ method: 'GET', url: '/health', statusCode: 200, headers: json, body: '{}' })).toEqual([]);
  });
});
