import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildGatewayDocument } from './openapi-document';

const run = promisify(execFile);

type Operation = {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }>;
};

describe('the OpenAPI document of the gateway', () => {
  let document: OpenAPIObject;
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
    );

  const warnings: string[] = [];

  beforeAll(async () => {
    // Nest's banner for a document built without starting the app is expected.
    const note = (message: unknown) => {
      if (!/PREVIEW mode|^-+$|will not be instantiated/.test(String(message))) warnings.push(String(message));
    };
    const spies = [
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(note),
      jest.spyOn(Logger, 'warn').mockImplementation(note),
    ];
    try {
      document = await buildGatewayDocument();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  // Two classes of one name share one schema name: the second silently replaces the first in the document.
  it('is built without a warning (e.g. two DTO classes of one name)', () => {
    expect(warnings).toEqual([]);
  });

  it('passes redocly lint with the recommended rules: no error, no warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const result = await run(process.execPath, [cli, 'lint', 'openapi.json', '--format=json'], { cwd: dir })
        .then(({ stdout }) => stdout)
        .catch((error: { stdout: string }) => error.stdout);
      const report = JSON.parse(result.slice(result.indexOf('{'))) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string }[];
      };
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives every operation a documented success body and its errors, in the real envelope', () => {
    for (const { path, method, op } of operations()) {
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect({ path, method, success: success.length }).toEqual({ path, method, success: 1 });
      const content = op.responses[success[0]].content ?? {};
      const json = content['application/json'];
      if (json) expect(Object.keys(json.schema?.properties ?? {})).toEqual(['meta', 'data']);
      else expect(Object.keys(content)).toEqual(['text/html']);
      if (op.security?.length) expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '503']));
    }
    expect(operations().length).toBeGreaterThanOrEqual(34);
  });

  it('describes the opaque API keys, the servers, the tags in the order a user meets them and the unsubscribe pages', () => {
    expect(document.components?.securitySchemes?.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      description: expect.any(String),
    });
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.tags?.map((t) => t.name)).toEqual([
      'emails',
      'webhooks',
      'account',
      'api-keys',
      'senders',
      'suppressions',
      'reports',
      'reputation',
      'unsubscribe',
      'admin',
    ]);
    expect(Object.keys(document.paths['/unsubscribe/{token}'])).toEqual(['get', 'post']);
    const sendEmail = document.components?.schemas?.SendEmailDto as { properties: Record<string, object> };
    expect(sendEmail.properties.to).toMatchObject({ format: 'email', maxLength: 320 });
    expect(sendEmail.properties.subject).toMatchObject({ minLength: 1, maxLength: 998 });
  });

  // The order must not depend on how the feature modules import each other, or every module change would
  // rewrite the SDK.
  it('lists paths by tag then path, methods in HTTP order, and schemas by name', () => {
    const tags = (document.tags ?? []).map((t) => t.name);
    const rank = (item: object) => {
      const tag = (Object.values(item).find((v) => typeof v === 'object') as { tags?: string[] }).tags?.[0];
      return tag && tags.includes(tag) ? tags.indexOf(tag) : tags.length;
    };
    const paths = Object.entries(document.paths).map(([path, item]) => ({ path, rank: rank(item) }));
    const sorted = [...paths].sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    expect(paths.map((p) => p.path)).toEqual(sorted.map((p) => p.path));
    expect(Object.keys(document.paths['/emails'])).toEqual(['get', 'post']);
    const schemas = Object.keys(document.components?.schemas ?? {});
    expect(schemas).toEqual([...schemas].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
