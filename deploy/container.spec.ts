import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs where the tests do, so the image and the compose stack are checked as text: they must
// run what CI runs, and the stack must start in the right order with health checks.
const root = resolve(__dirname, '..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');
const apps = ['gateway', 'events', 'sender', 'reputation', 'webhooks'];

interface Service {
  image?: string;
  build?: { target?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  restart?: string;
  healthcheck?: { disable?: boolean; test?: string[] };
  depends_on?: Record<string, { condition: string }>;
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));

  it('builds with the commands CI runs, so that CI tests what the image contains', () => {
    const ci = read('.ci/run');
    for (const command of ['npm ci', 'npm run build', 'npm prune --omit=dev']) {
      expect(dockerfile).toContain(`${command} `);
      expect(ci).toContain(`${command} `);
    }
  });

  it('runs as a non-root user, under an init, with a health check on /health', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(runtime).not.toContain('npm ci');
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const services = compose.services;

  it.each(apps)('runs %s from the one image, after the migrations, restarting it and checking its health', (app) => {
    const service = services[app];
    expect(service).toMatchObject({
      image: services.migrate.image,
      build: { target: 'runtime' },
      command: ['node', `dist/apps/${app}/main.js`],
      restart: 'unless-stopped',
      depends_on: {
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      },
    });
    // The image's HEALTHCHECK applies unless a service turns it off.
    expect(service.healthcheck?.disable).not.toBe(true);
  });

  it('migrates once, from the same image, before any app', () => {
    expect(services.migrate).toMatchObject({
      build: { target: 'runtime' },
      command: ['npx', 'prisma', 'migrate', 'deploy'],
      restart: 'no',
      depends_on: { postgres: { condition: 'service_healthy' } },
    });
  });

  it('includes the SES emulator and the simulator, which signs with the certificate the events app trusts', () => {
    expect(services.ses.command).toEqual(expect.arrayContaining(['aws-ses-v2-local']));
    expect(services['ses-simulator'].command).toEqual(['node', 'dist/tools/ses-simulator/main.js']);
    expect(services['ses-simulator'].environment?.SNS_CERT_FILE).toBe(services.events.environment?.SNS_CERT_FILE);
    expect(services.gateway.environment?.SES_ENDPOINT).toBe('http://ses:8005');
  });

  it('prints a demo key once the gateway is healthy', () => {
    expect(services.demo.command).toEqual(expect.arrayContaining(['scripts/demo-account.mjs']));
    expect(services.demo.depends_on?.gateway).toEqual({ condition: 'service_healthy' });
  });

  it('publishes no host port that local Postgres or Redis use, and checks their health', () => {
    const published = Object.values(services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':').at(-2)));
    expect(published).not.toContain('5432');
    expect(published).not.toContain('6379');
    expect(services.postgres.healthcheck?.test).toBeDefined();
    expect(services.redis.healthcheck?.test).toBeDefined();
  });
});
