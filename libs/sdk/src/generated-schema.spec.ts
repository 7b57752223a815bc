import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { buildGatewayDocument } from '../../../apps/gateway/src/openapi-document';

const run = promisify(execFile);
const SDK = join(__dirname, '..');
const STALE = 'is stale: run `npm run sdk:generate` and commit the result';

describe('the generated SDK types', () => {
  it(`come from the gateway's current document (openapi.json ${STALE})`, async () => {
    const committed = JSON.parse(readFileSync(join(SDK, 'openapi.json'), 'utf8'));
    expect(JSON.parse(JSON.stringify(await buildGatewayDocument()))).toEqual(committed);
  });

  it(`are what openapi-typescript makes of openapi.json (src/generated/schema.ts ${STALE})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdk-'));
    try {
      // The package exports no path to its CLI: it sits beside dist/.
      const cli = join(dirname(require.resolve('openapi-typescript')), '../bin/cli.js');
      await run(process.execPath, [cli, join(SDK, 'openapi.json'), '-o', join(dir, 'schema.ts')]);
      expect(readFileSync(join(dir, 'schema.ts'), 'utf8')).toBe(
        readFileSync(join(SDK, 'src/generated/schema.ts'), 'utf8'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
