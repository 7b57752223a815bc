import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createPostlineClient } from '@postline/client';
import { closeTestPool, createAccount, eventually, LocalSes, type TestAccount, testPool } from '@postline/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

// The console in a real browser against the running stack: the gateway serving the built console, the sender
// against the local SES emulator, the SES events simulator and the events app, so that an email sent through the
// API reaches DELIVERED as it would with `npm start`. Chromium is Debian's (CHROMIUM_PATH to use another).
const REPO_ROOT = resolve(__dirname, '../../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'tmp/console-screenshots');
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:postline-ses-events-local';
const ADMIN_KEY = process.env.ADMIN_API_KEY as string;

const work = mkdtempSync(join(tmpdir(), 'postline-console-test-'));
const consoleDir = join(work, 'console');
Object.assign(process.env, {
  CONSOLE_DIR: consoleDir,
  SNS_CERT_FILE: join(work, 'sns-cert.pem'),
  SNS_TOPIC_ARNS: TOPIC,
  EVENTS_UNKNOWN_EMAIL_DELAY_MS: '200',
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** No serious or critical accessibility violation on the page as it is now. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad).toEqual([]);
}

const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('the web console in Chromium (gateway, sender, local SES, events)', () => {
  let ses: LocalSes;
  let apps: NestFastifyApplication[] = [];
  let gatewayUrl: string;
  let browser: Browser;
  let customer: TestAccount;
  let blocked: TestAccount;
  const stopSimulator = new AbortController();
  let simulatorDone: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The console as `npm run build` builds it, into this run's own folder.
    const build = promisify(execFile)(
      process.execPath,
      [
        join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'apps/console/vite.config.mts',
        '--outDir',
        consoleDir,
        '--emptyOutDir',
        '--logLevel',
        'warn',
      ],
      { cwd: REPO_ROOT },
    );
    ses = await LocalSes.start();
    process.env.SES_ENDPOINT = ses.endpoint;
    const { createTestApp } = await import('@postline/testing');
    const { loadOrCreateSigningMaterial } = await import('../../../tools/ses-simulator/src/signing-material');
    const signing = loadOrCreateSigningMaterial(join(work, 'sns-key.pem'), join(work, 'sns-cert.pem'));

    const events = await createTestApp(
      (await import('../../events/src/app.module')).AppModule,
      (await import('../../events/src/configure-app')).configureEvents,
    );
    apps.push(events);
    await events.listen(0, '127.0.0.1');
    const eventsUrl = `${(await events.getUrl()).replace('[::1]', '127.0.0.1')}/ses/notifications`;
    apps.push(await createTestApp((await import('../../sender/src/app.module')).AppModule));
    await build;
    const { configureGateway } = await import('../../gateway/src/configure-app');
    const gateway = await createTestApp((await import('../../gateway/src/app.module')).AppModule, (a) =>
      configureGateway(a, false),
    );
    apps.push(gateway);
    await gateway.listen(0, '127.0.0.1');
    gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');

    const { SesEventsSimulator } = await import('../../../tools/ses-simulator/src/ses-events-simulator');
    const { NotificationPoster } = await import('../../../tools/ses-simulator/src/notification-poster');
    const simulator = new SesEventsSimulator(
      {
        sesEndpoint: ses.endpoint,
        pollMs: 200,
        region: 'us-east-1',
        accountId: '000000000000',
        configurationSet: 'local',
      },
      new NotificationPoster({ eventsUrl, topicArn: TOPIC, region: 'us-east-1', signing }),
      silent,
    );
    simulatorDone = simulator.run(stopSimulator.signal);

    customer = await createAccount({ name: `shop-${Date.now()}`, senders: ['shop.test'] });
    blocked = await createAccount({ name: `spammy-${Date.now()}`, senders: ['spammy.test'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    stopSimulator.abort();
    await simulatorDone;
    for (const app of apps.reverse()) await app.close();
    apps = [];
    await ses?.stop();
    await closeTestPool();
    rmSync(work, { recursive: true, force: true });
  });

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return { context, page };
  };

  const signIn = async (page: Page, role: 'customer' | 'operator', key: string) => {
    await page.goto(`${gatewayUrl}/console`);
    await page.getByRole('heading', { name: 'Postline console' }).waitFor();
    await expectAccessible(page, 'sign in');
    await shoot(page, '00-sign-in');
    if (role === 'operator') await page.getByLabel('The support team, with the admin key').check();
    await page.getByLabel(role === 'operator' ? 'Admin key' : 'API key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('signs a customer in, follows a sent email to DELIVERED with its timeline, downloads the campaign CSV', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'customer', customer.apiKey);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    // The key is kept for this tab only.
    expect(await page.evaluate('Object.keys(localStorage)')).toEqual([]);
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual(['postline.console.session']);

    const api = createPostlineClient({ baseUrl: gatewayUrl, apiKey: customer.apiKey });
    const sent = await api.POST('/emails', {
      body: {
        to: 'reader@example.com',
        from: 'news@shop.test',
        subject: 'Spring sale',
        text: 'Twenty percent off everything this week',
        externalId: 'spring-sale',
      },
    });
    expect(sent.response.status).toBe(201);
    const emailId = sent.data!.data.id;

    await page.getByRole('link', { name: 'Emails', exact: true }).click();
    await page.getByRole('link', { name: 'reader@example.com' }).click();
    await page.waitForURL(new RegExp(`#/emails/${emailId}$`));
    // The page asks again while the email is in flight, until the SES events bring it to DELIVERED.
    await page
      .locator('[data-field="Status"]')
      .getByText('DELIVERED', { exact: true })
      .waitFor({ timeout: 45_000 })
      .catch(async (error: Error) => {
        await shoot(page, 'failed-email');
        const { rows } = await testPool().query(
          `SELECT e."status", e."statusReason", e."sesMessageId", (SELECT json_agg(v."type") FROM "EmailEvent" v
           WHERE v."emailId" = e."id") AS "events" FROM "Email" e WHERE e."id" = $1`,
          [emailId],
        );
        throw new Error(`${error.message}\nThe email: ${JSON.stringify(rows[0])}`);
      });
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Delivery', { exact: true }).waitFor();
    expect(await timeline.locator('li').count()).toBeGreaterThanOrEqual(2);
    await expectAccessible(page, 'email');
    await shoot(page, '03-email');

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('img', { name: /Emails per day/ }).waitFor();
    await page.getByRole('img', { name: /Daily bounce rate/ }).waitFor();
    await page.getByRole('img', { name: /Daily complaint rate/ }).waitFor();
    await expectAccessible(page, 'overview');
    await shoot(page, '01-overview');

    await page.getByRole('link', { name: 'Emails', exact: true }).click();
    await page.getByRole('link', { name: 'reader@example.com' }).waitFor();
    // Filters: the campaign and today's UTC day find it; another status does not.
    await page.getByLabel('External id (campaign)').fill('spring-sale');
    await page.getByLabel('Accepted from (UTC day)').fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/externalId=spring-sale/);
    await page.getByRole('link', { name: 'reader@example.com' }).waitFor();
    await expectAccessible(page, 'emails');
    await shoot(page, '02-emails');
    await page.getByLabel('Status').selectOption('BOUNCED');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No email matches.').waitFor();

    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'spring-sale' }).click();
    await page.getByRole('heading', { name: 'By status' }).waitFor();
    await expectAccessible(page, 'campaign');
    await shoot(page, '04-campaign');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('campaign-spring-sale.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/,/);
    expect(csv).toMatch(/\d/);

    // A new API key is shown once: gone after "Done", and not there when the page is opened again.
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('console test');
    await page.getByLabel('Operator').fill('tester');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByTestId('secret-value').textContent();
    expect(secret).toMatch(/^pl_/);
    await expectAccessible(page, 'API keys');
    await shoot(page, '05-api-keys');
    await page.getByRole('button', { name: 'Done, I stored it' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByText('console test').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('link', { name: 'Suppressions', exact: true }).click();
    await page.getByLabel('Address', { exact: true }).fill('Gone@Example.com');
    await page.getByRole('button', { name: 'Suppress' }).click();
    await page.getByRole('cell', { name: 'gone@example.com', exact: true }).waitFor();
    await page.getByLabel('Find an address').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('nobody@example.com is not suppressed.').waitFor();
    await page.getByLabel('Find an address').fill('GONE@example.com');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('cell', { name: 'gone@example.com', exact: true }).waitFor();
    await expectAccessible(page, 'suppressions');
    await shoot(page, '07-suppressions');

    for (const [link, heading, file] of [
      ['Reputation', 'Reputation', '06-reputation'],
      ['Senders', 'Senders', '08-senders'],
      ['Webhooks', 'Webhooks', '09-webhooks'],
    ]) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await eventually(async () => (await page.locator('.loading').count()) === 0, 20_000, 100);
      await expectAccessible(page, heading);
      await shoot(page, file);
    }

    // The key is revoked while the console is open: the next page says so and signs out.
    const admin = createPostlineClient({ baseUrl: gatewayUrl, apiKey: ADMIN_KEY });
    const keys = await admin.GET('/admin/accounts/{accountId}/api-keys', {
      params: { path: { accountId: customer.accountId } },
    });
    const signedInKey = keys.data!.data.find((k) => customer.apiKey.startsWith(k.prefix))!;
    const revoked = await admin.POST('/admin/accounts/{accountId}/api-keys/{id}/revoke', {
      params: { path: { accountId: customer.accountId, id: signedInKey.id } },
      body: { force: true },
    });
    expect(revoked.response.status).toBe(200);
    await page.getByRole('link', { name: 'Reputation', exact: true }).click();
    await page.getByText('This key is no longer accepted (revoked or expired).').waitFor();
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('Object.keys(sessionStorage)')).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows templates with their versions and a preview, and filters emails by tag', async () => {
    const shop = await createAccount({ name: `outfitter-${Date.now()}`, senders: ['outfitter.test'] });
    const api = createPostlineClient({ baseUrl: gatewayUrl, apiKey: shop.apiKey });
    const created = await api.POST('/templates', {
      body: { name: 'order-shipped', subject: 'Hello {{firstName}}', text: 'Your order {{order.id}} is on its way.' },
    });
    expect(created.response.status).toBe(201);
    for (const [to, tags] of [
      ['winter@example.com', [{ name: 'campaign', value: 'winter' }]],
      ['summer@example.com', [{ name: 'campaign', value: 'summer' }]],
    ] as const) {
      const sent = await api.POST('/emails', {
        body: {
          to,
          from: 'news@outfitter.test',
          subject: 'Season',
          text: 'New arrivals',
          externalId: 'seasons',
          tags: [...tags],
        },
      });
      expect(sent.response.status).toBe(201);
    }

    const { context, page } = await newPage();
    // "Delete" asks for confirmation.
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, 'customer', shop.apiKey);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'order-shipped' }).waitFor();
    await expectAccessible(page, 'templates');
    await shoot(page, '12-templates');
    await page.getByRole('link', { name: 'order-shipped' }).click();
    await page.locator('[data-field="Subject"]').getByText('Hello {{firstName}}').waitFor();

    // A missing variable is the API's 400 naming it; with every variable the preview shows the rendered subject.
    await page.getByLabel('Variables (JSON)').fill('{"firstName": "Zoë"}');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page
      .getByRole('alert')
      .getByText(/variables\.order\.id/)
      .waitFor();
    await page.getByLabel('Variables (JSON)').fill('{"firstName": "Zoë", "order": {"id": "A-1001"}}');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('[data-field="Rendered subject"]').getByText('Hello Zoë', { exact: true }).waitFor();
    await page.getByText('Your order A-1001 is on its way.').waitFor();

    // An edit makes version 2; the history keeps version 1.
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Subject', { exact: true }).fill('Hi {{firstName}}, it shipped');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.locator('[data-field="Version"]').getByText('2', { exact: true }).waitFor();
    // The preview of version 1 is dropped rather than shown beside version 2.
    await page.locator('[data-field="Rendered subject"]').waitFor({ state: 'detached' });
    const versions = page.getByRole('table', { name: 'Versions of the template, newest first' });
    await versions.getByRole('cell', { name: 'Hi {{firstName}}, it shipped' }).waitFor();
    await versions.getByRole('cell', { name: 'Hello {{firstName}}' }).waitFor();
    await expectAccessible(page, 'template');
    await shoot(page, '13-template');

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor();
    await page.getByText('No template yet.').waitFor();

    await page.getByRole('link', { name: 'Emails', exact: true }).click();
    await page.getByRole('link', { name: 'summer@example.com' }).waitFor();
    await page.getByLabel('Tag (name:value)').fill('campaign:winter');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/tag=campaign%3Awinter/);
    await page.getByRole('link', { name: 'summer@example.com' }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'campaign:winter' }).waitFor();
    expect(await page.getByRole('link', { name: /@example\.com$/ }).count()).toBe(1);
    await page.getByRole('link', { name: 'winter@example.com' }).click();
    await page.locator('[data-field="Tags"]').getByText('campaign:winter', { exact: true }).waitFor();

    // The campaign report of the emails carrying one tag.
    await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
    await page.getByRole('link', { name: 'seasons' }).click();
    await page.getByText(/^2 emails, from/).waitFor();
    await page.getByLabel('Only emails tagged (name:value)').fill('campaign:summer');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/tag=campaign%3Asummer/);
    await page.getByText(/^1 emails tagged campaign:summer, from/).waitFor();
    await expectAccessible(page, 'campaign by tag');
    await context.close();
  }, 120_000);

  it('lets an operator find a blocked account in the review queue and unblock it with a note', async () => {
    const admin = createPostlineClient({ baseUrl: gatewayUrl, apiKey: ADMIN_KEY });
    const block = await admin.POST('/admin/accounts/{id}/block', {
      params: { path: { id: blocked.accountId } },
      body: { note: 'Complaints from a bought list', operator: 'maria' },
    });
    expect(block.response.status).toBe(200);

    const { context, page } = await newPage();
    await signIn(page, 'operator', ADMIN_KEY);
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await expectAccessible(page, 'review queue');
    await shoot(page, '10-review-queue');
    await page.getByRole('link', { name: blocked.name }).click();
    await page.getByRole('heading', { name: blocked.name }).waitFor();
    await page.getByRole('button', { name: 'Unblock' }).waitFor();
    await expectAccessible(page, 'account');
    await page.getByLabel('Note (why; kept in the history)').fill('List cleaned with the customer');
    await page.getByLabel('Your name').fill('jonas');
    await page.getByRole('button', { name: 'Unblock' }).click();
    await page.getByRole('button', { name: 'Block' }).waitFor();
    await page.getByRole('cell', { name: 'List cleaned with the customer' }).waitFor();
    await shoot(page, '11-account');

    const { rows } = await testPool().query<{ reputationState: string }>(
      `SELECT "reputationState" FROM "Account" WHERE "id" = $1`,
      [blocked.accountId],
    );
    expect(rows[0].reputationState).toBe('HEALTHY');
    const history = await eventually(async () => {
      const { rows: changes } = await testPool().query<{ actor: string; reason: string; toState: string }>(
        `SELECT "actor", "reason", "toState" FROM "ReputationChange" WHERE "accountId" = $1 ORDER BY "createdAt" DESC`,
        [blocked.accountId],
      );
      return changes.length === 2 ? changes : undefined;
    });
    expect(history[0]).toEqual({ actor: 'admin:jonas', reason: 'List cleaned with the customer', toState: 'HEALTHY' });
    await context.close();
  }, 90_000);
});
