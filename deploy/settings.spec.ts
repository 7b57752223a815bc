import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parseAllDocuments } from 'yaml';
import { Env as EventsEnv } from '../apps/events/src/env';
import { Env as GatewayEnv } from '../apps/gateway/src/env';
import { Env as ReputationEnv } from '../apps/reputation/src/env';
import { Env as SenderEnv } from '../apps/sender/src/env';
import { Env as WebhooksEnv } from '../apps/webhooks/src/env';

// Every setting an app or tool reads is listed in .env.example, and the Kubernetes config sets only real ones.
const root = resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    // The scale test's harness options (SCALE_*) are not settings of the stack.
    if (statSync(path).isDirectory())
      return ['testing', 'test', 'generated', 'scale-test'].includes(name) ? [] : sources(path);
    return name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(name) ? [path] : [];
  });
}

function settingsRead(): Set<string> {
  const names = new Set<string>();
  for (const Env of [GatewayEnv, EventsEnv, SenderEnv, ReputationEnv, WebhooksEnv]) {
    for (const m of getMetadataStorage().getTargetValidationMetadatas(Env, '', true, false)) names.add(m.propertyName);
    for (const key of Object.keys(new Env())) names.add(key);
  }
  // Read outside the validated classes (main.ts, the SES events tool, helpers given process.env).
  for (const file of ['apps', 'libs', 'tools'].flatMap((d) => sources(resolve(root, d))))
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) names.add(name);
  return names;
}

describe('settings', () => {
  const read = settingsRead();

  it('.env.example lists every setting the apps and tools read', () => {
    const listed = new Set(
      [...readFileSync(resolve(root, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]),
    );
    expect([...read].filter((name) => !listed.has(name)).sort()).toEqual([]);
  });

  it('the Kubernetes ConfigMap and Secret set only settings that are read', () => {
    const keys = ['config.yaml', 'secret.yaml'].flatMap((file) =>
      parseAllDocuments(readFileSync(resolve(root, 'deploy/kubernetes', file), 'utf8')).flatMap((d) => {
        const object = d.toJS() as { data?: object; stringData?: object };
        return Object.keys({ ...object.data, ...object.stringData });
      }),
    );
    // REDIS_ADDRESS is read by KEDA's redis scaler, not by an app.
    expect(keys.filter((key) => !read.has(key) && key !== 'REDIS_ADDRESS')).toEqual([]);
  });
});
