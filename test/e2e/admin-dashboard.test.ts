import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  ofWebhook,
  startHarness,
  startReceiver,
  TEST_ADMIN_KEY,
  waitUntil,
  type Harness,
  type Receiver,
} from '@hookline/testing';
import { postEvents } from '../support/fixtures.js';

// The dashboard driven in real headless Chromium (Debian's package; `npm run setup` installs it).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-artifacts');

let h: Harness;
let receiver: Receiver;
let browser: Browser;

beforeAll(async () => {
  h = await startHarness({ settings: { queueMode: 'immediate' } });
  receiver = await startReceiver();
  await mkdir(SCREENSHOTS, { recursive: true });
  // Playwright starts Chromium with a new, empty profile of its own. The machines running CI have
  // no internet: the background-networking flags keep Chromium from trying.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await h?.stop();
});

/**
 * Every request a browser context makes to anywhere but this service (a CDN font, an analytics
 * beacon): the pages must work offline, so this must stay empty.
 */
function offOriginRequests(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${h.baseUrl}/`) && !/^(data|blob|about):/.test(url)) seen.push(url);
  });
  return seen;
}

async function signIn(page: Page, key = TEST_ADMIN_KEY): Promise<void> {
  await page.goto(`${h.baseUrl}/admin`);
  await page.fill('#admin-key', key);
  await page.click('#login button[type=submit]');
}

/**
 * A fresh browser context that records page errors and off-origin requests; `finish` asserts
 * there were none and closes it.
 */
async function watchedPage() {
  const context = await browser.newContext();
  const offOrigin = offOriginRequests(context);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const finish = async () => {
    expect(pageErrors).toEqual([]);
    expect(offOrigin).toEqual([]);
    await context.close();
  };
  return { context, page, finish };
}

/** A watched page, signed in as admin, on the webhooks page. */
async function signedInPage() {
  const watched = await watchedPage();
  await signIn(watched.page);
  await watched.page.waitForSelector('#webhooks');
  return watched;
}

describe('admin dashboard in headless Chromium', () => {
  test('an admin signs in, creates a webhook, sends a test payload, toggles it, reads its deliveries and switches settings', async () => {
    const { page, finish } = await signedInPage();
    expect(await page.isVisible('#nav')).toBe(true);

    // Create through the form.
    await page.click('#new-webhook');
    await page.waitForSelector('#webhook-form');
    await page.fill('#name', 'CRM sync');
    await page.fill('#url', receiver.url);
    await page.check('input[name=events][value="form.submitted"]');
    await page.check('input[name=events][value="contact.identified"]');
    await page.selectOption('#order', 'reverse');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('text=Its signing secret');
    const list = await h.api<{ id: string; name: string; events: string[]; order: string | null }[]>(
      'GET',
      '/v1/webhooks',
    );
    expect(list.body).toHaveLength(1);
    const created = list.body[0]!;
    expect(created).toMatchObject({ name: 'CRM sync', order: 'reverse' });
    expect([...created.events].sort()).toEqual(['contact.identified', 'form.submitted']);

    // "Send test payload" reaches the real receiver, signed, in the batch shape.
    await page.click('#send-test');
    await page.waitForSelector('#test-result');
    expect(await page.textContent('#test-result')).toMatch(/delivered: HTTP 200 in \d+ ms/);
    const [testRequest] = await receiver.waitFor(1);
    expect(Object.keys(JSON.parse(testRequest!.body)).sort()).toEqual([
      'contact.identified',
      'form.submitted',
    ]);
    expect(testRequest!.headers['webhook-signature']).toBeTruthy();

    // Disable from the list, then enable again.
    await page.goto(`${h.baseUrl}/admin/#/webhooks`);
    const row = `tr[data-webhook="${created.id}"]`;
    await page.click(`${row} button.toggle`);
    await page.waitForSelector(`${row} .badge.disabled`);
    expect((await h.api<{ enabled: boolean }>('GET', `/v1/webhooks/${created.id}`)).body.enabled).toBe(false);
    await page.click(`${row} button.toggle`);
    // Its test send succeeded last: healthy.
    await page.waitForSelector(`${row} .badge.healthy`);
    expect((await h.api<{ enabled: boolean }>('GET', `/v1/webhooks/${created.id}`)).body.enabled).toBe(true);

    // Settings page: switch to queue mode, newest first.
    await page.click('a[href="#/settings"]');
    await page.waitForSelector('#settings-form');
    await page.selectOption('#queueMode', 'queue');
    await page.selectOption('select#order', 'reverse');
    await page.fill('#batchLimit', '25');
    await page.click('#settings-form button[type=submit]');
    await page.waitForSelector('text=Settings saved');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-settings.png'), fullPage: true });
    const settings = await h.api<Record<string, unknown>>('GET', '/v1/settings');
    expect(settings.body).toMatchObject({ queueMode: 'queue', order: 'reverse', batchLimit: 25 });

    // Queue depth: with no worker running, queued events wait and the list shows how many.
    await h.engine.settings.refresh();
    await postEvents(
      h,
      Array.from({ length: 3 }, (_, i) => ({ type: 'form.submitted', payload: { form: { id: i } } })),
    );
    await page.click('a[href="#/webhooks"]');
    await page.waitForSelector(`${row} td.depth`);
    expect(await page.textContent(`${row} td.depth`)).toBe('3');
    expect(await page.textContent('#queue-total')).toContain('3 events waiting');

    // Delivery log: the test delivery with status, status code, duration and response snippet.
    await page.click(`${row} a[href$="/deliveries"]`);
    await page.waitForSelector('#deliveries tbody tr[data-delivery]');
    const cells = await page.$$eval('#deliveries tbody tr[data-delivery] td', (tds) =>
      tds.map((td) => td.textContent ?? ''),
    );
    expect(cells.slice(1, 4)).toEqual(['test', 'success', '200']);
    expect(Number(cells[4])).toBeGreaterThanOrEqual(0);
    expect(cells[7]).toBe('ok');

    // Bulk recovery from the page: nothing failed here, and the page says so from the API's answer.
    await page.click('#recover-form button[type=submit]');
    await page.waitForSelector('#recover-result');
    expect(await page.textContent('#recover-result')).toBe(
      '0 failed deliveries will be resent, oldest first.',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-deliveries.png'), fullPage: true });
    await page.goto(`${h.baseUrl}/admin/#/webhooks`);
    await page.waitForSelector(`${row} td.depth`);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-webhooks.png'), fullPage: true });
    await finish();
  }, 60_000);

  test('an admin adds an event type with a schema, archives it, and sets trigger words and a reply type on a webhook', async () => {
    const { page, finish } = await signedInPage();

    await page.click('a[href="#/event-types"]');
    await page.waitForSelector('#event-types');
    expect(await page.locator('#event-types tbody tr').count()).toBe(14);
    await page.fill('#type-name', 'message.posted');
    await page.fill('#type-description', 'A chat message');
    await page.fill('#type-schema', '{"type":"object","required":["text"]}');
    await page.click('#event-type-form button[type=submit]');
    await page.waitForSelector('tr[data-event-type="message.posted"]');
    const types = await h.api<{ name: string; schema: unknown; builtIn: boolean }[]>(
      'GET',
      '/v1/event-types',
    );
    expect(types.body.find((t) => t.name === 'message.posted')).toMatchObject({
      builtIn: false,
      schema: { type: 'object', required: ['text'] },
    });
    // A schema that is not JSON is refused in the page, beside the form.
    await page.fill('#type-name', 'broken');
    await page.fill('#type-schema', '{nope');
    await page.click('#event-type-form button[type=submit]');
    await page.waitForSelector('text=Payload JSON Schema: not valid JSON');
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-event-types.png'), fullPage: true });

    // Mattermost fields on a new webhook.
    await page.click('a[href="#/webhooks"]');
    await page.click('#new-webhook');
    await page.waitForSelector('#webhook-form');
    await page.fill('#name', 'Build bot');
    await page.fill('#url', receiver.url);
    await page.fill('#moreUrls', `${receiver.url}/second`);
    await page.check('input[name=events][value="message.posted"]');
    await page.fill('#triggerWords', '#build #deploy');
    await page.selectOption('#triggerWhen', 'startsWith');
    await page.fill('#token', 'mm-token');
    await page.selectOption('#replyEventType', 'message.posted');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('text=Its signing secret');
    const hooks = await h.api<
      { name: string; urls: string[]; trigger: unknown; token: string; replyEventType: string }[]
    >('GET', '/v1/webhooks');
    expect(hooks.body.find((w) => w.name === 'Build bot')).toMatchObject({
      trigger: { words: ['#build', '#deploy'], when: 'startsWith', field: 'payload.text' },
      token: 'mm-token',
      replyEventType: 'message.posted',
      urls: [receiver.url, `${receiver.url}/second`],
    });

    // Archive: the row says so, and the API refuses new events of the type.
    await page.click('a[href="#/event-types"]');
    await page.click('tr[data-event-type="message.posted"] button.archive');
    await page.waitForSelector('tr[data-event-type="message.posted"].archived');
    expect(
      (await h.api('POST', '/v1/events', { type: 'message.posted', payload: { text: 'x' } })).status,
    ).toBe(422);
    await finish();
  }, 60_000);

  test("the overview charts show real deliveries with the API's counts, and badges say which webhook fails", async () => {
    const { context, page, finish } = await watchedPage();
    const down = await startReceiver(() => ({ status: 503 }));
    try {
      await h.api('PATCH', '/v1/settings', { queueMode: 'immediate' });
      await h.engine.settings.refresh();
      const create = async (name: string, url: string) =>
        (await h.api<{ id: string }>('POST', '/v1/webhooks', { name, url, events: ['sms.sent'] })).body;
      const good = await create('Charted', receiver.url);
      const bad = await create('Broken', down.url);
      await postEvents(h, [
        { type: 'sms.sent', payload: { n: 1 } },
        { type: 'sms.sent', payload: { n: 2 } },
      ]);
      await down.waitFor(2);
      // The counters reach Postgres at the next flush; the API then says what the chart must show.
      type Stats = { buckets: { success: number; failed: number }[] };
      const sum = (s: Stats, key: 'success' | 'failed') => s.buckets.reduce((n, b) => n + b[key], 0);
      const stats = await waitUntil(async () => {
        await h.engine.stats!.flush();
        const s = (await h.api<Stats>('GET', `/v1/stats?webhook=${good.id}`)).body;
        return sum(s, 'success') >= 2 ? s : undefined;
      });
      const delivered = sum(stats, 'success');
      const failed = sum(stats, 'failed');

      await signIn(page);
      await page.waitForSelector(`tr[data-webhook="${bad.id}"] .badge.failing`);
      expect(await page.textContent(`tr[data-webhook="${bad.id}"] .badge-detail`)).toBe('HTTP 503');

      await page.goto(`${h.baseUrl}/admin/#/stats/${good.id}`);
      await page.waitForSelector('#chart-deliveries canvas');
      expect(await page.textContent('#stats-totals')).toBe(`${delivered} delivered, ${failed} failed`);
      // What the chart plots, read from its uPlot instance: the API's counts.
      type Plotted = { plot?: { data: (number | null)[][] } };
      const plottedData = () =>
        page.$eval('#chart-deliveries', (el) => (el as unknown as Plotted).plot?.data ?? null);
      const plotted = await waitUntil(plottedData);
      const total = (series: (number | null)[]) => series.reduce<number>((n, v) => n + (v ?? 0), 0);
      expect({ all: total(plotted[1]!), delivered: total(plotted[2]!) }).toEqual({
        all: delivered + failed,
        delivered,
      });
      expect(await page.locator('#chart-latency canvas').count()).toBe(1);
      expect(await page.locator('#chart-queue canvas').count()).toBe(1);
      await page.selectOption('#stats-window', '24h');
      await waitUntil(async () => ((await plottedData())?.[0]?.length === 1440 ? true : undefined));
      await page.screenshot({ path: join(SCREENSHOTS, 'admin-overview.png'), fullPage: true });

      // Bulk recovery from the page: the broken webhook's deliveries fail for good (a worker runs
      // their retries out), then Recover makes them pending again and they are resent.
      await h.startWorker();
      await waitUntil(
        async () =>
          (await ofWebhook(h.db.knex, 'batches', bad.id).where({ status: 'failed' })).length === 2 ||
          undefined,
        30_000,
      );
      const attempts = down.requests.length;
      await page.goto(`${h.baseUrl}/admin/#/webhooks/${bad.id}/deliveries`);
      await page.click('#recover-form button[type=submit]');
      await page.waitForSelector('#recover-result');
      expect(await page.textContent('#recover-result')).toBe(
        '2 failed deliveries will be resent, oldest first.',
      );
      await waitUntil(() => down.requests.length >= attempts + 2 || undefined, 30_000);
      await finish();
    } finally {
      await down.close();
      await context.close();
    }
  }, 60_000);

  test("the full form: a webhook with a filter group, headers and system.webhook_disabled, edited, with the API's messages beside the fields", async () => {
    const { page, finish } = await signedInPage();
    await page.click('#new-webhook');
    await page.waitForSelector('#webhook-form');
    await page.fill('#name', 'Ops alerts');
    await page.fill('#url', receiver.url);
    await page.check('input[name=events][value="system.webhook_disabled"]');
    await page.selectOption('#eventNames', 'mautic');
    await page.fill(
      '#filter',
      '{"any":[[{"path":"payload.reason","op":"exists"}],[{"path":"payload.webhook.name","op":"startsWith","value":"CRM"}]]}',
    );
    await page.fill('#headers', 'X-Tenant: acme\nAuthorization: Bearer chained-key');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('text=Its signing secret');
    const created = (
      await h.api<
        {
          id: string;
          name: string;
          events: string[];
          filter: unknown;
          headers: unknown;
          eventNames: string;
        }[]
      >('GET', '/v1/webhooks')
    ).body.find((w) => w.name === 'Ops alerts')!;
    expect(created).toMatchObject({
      events: ['system.webhook_disabled'],
      eventNames: 'mautic',
      filter: {
        any: [
          [{ path: 'payload.reason', op: 'exists' }],
          [{ path: 'payload.webhook.name', op: 'startsWith', value: 'CRM' }],
        ],
      },
      headers: { 'X-Tenant': 'acme', Authorization: 'Bearer chained-key' },
    });

    // Edit: a header Hookline sets itself is refused, and the message sits beside the headers.
    await page.fill('#headers', 'Content-Type: text/plain');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('#error-headers:has-text("Hookline sets this header itself")');
    // A filter that is not JSON never leaves the page.
    await page.fill('#headers', 'X-Tenant: beta');
    await page.fill('#filter', '[{"path":');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('#error-filter:has-text("not valid JSON")');
    await page.fill('#filter', '');
    await page.click('#webhook-form button[type=submit]');
    await page.waitForSelector('text=Saved.');
    expect(await page.textContent('#error-headers')).toBe('');
    const edited = await h.api<{ headers: unknown; filter: unknown }>('GET', `/v1/webhooks/${created.id}`);
    expect(edited.body).toMatchObject({ headers: { 'X-Tenant': 'beta' }, filter: null });
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-webhook-form.png'), fullPage: true });
    await finish();
  }, 60_000);

  test('Bull Board at /admin/queues opens after sign-in and refuses a browser without the session', async () => {
    const anonymous = await browser.newContext();
    const refused = await (await anonymous.newPage()).goto(`${h.baseUrl}/admin/queues/`);
    expect(refused?.status()).toBe(401);
    await anonymous.close();

    const { page, finish } = await watchedPage();
    await signIn(page);
    await page.waitForSelector('#webhooks');
    const board = await page.goto(`${h.baseUrl}/admin/queues/`);
    expect(board?.status()).toBe(200);
    await page.waitForSelector('text=hookline-drain', { timeout: 20_000 });
    expect(await page.title()).toBe('Hookline queues');
    // Its overview loads through Bull Board's own API, which the same cookie admits.
    await page.waitForSelector('text=Loading', { state: 'detached', timeout: 20_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-bull-board.png') });
    await finish();
  }, 60_000);

  test('the API docs page renders the generated OpenAPI document', async () => {
    const { page, finish } = await watchedPage();
    await page.goto(`${h.baseUrl}/docs`);
    await page.waitForSelector('.opblock-summary-path[data-path="/v1/webhooks/{id}/deliveries"]', {
      timeout: 20_000,
    });
    // One block per documented operation, event types among them.
    const doc = (
      await h.api<{ paths: Record<string, object> }>('GET', '/openapi.json', undefined, { key: null })
    ).body;
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(await page.$$('.opblock')).toHaveLength(operations);
    expect(await page.$$('.opblock-summary-path[data-path="/v1/event-types/{name}"]')).toHaveLength(2);
    expect(await page.textContent('.info .title')).toContain('Hookline');
    await page.screenshot({ path: join(SCREENSHOTS, 'api-docs.png') });
    await finish();
  }, 60_000);

  test('readable on a 375 px phone: no screen is wider than the phone, every screen keyboard-reachable', async () => {
    const hook = await h.api<{ id: string }>('POST', '/v1/webhooks', {
      name: 'A webhook with a rather long name for a phone',
      url: `${receiver.url}/a/rather/long/path/that/would/not/fit/on/a/phone/screen`,
      events: ['form.submitted', 'contact.identified', 'contact.updated'],
    });
    const watched = await watchedPage();
    const { page, finish } = watched;
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page);
    const screens: [string, string, string][] = [
      ['#/webhooks', '#webhooks', 'webhooks'],
      [`#/webhooks/${hook.body.id}`, '#webhook-form', 'webhook-form'],
      [`#/webhooks/${hook.body.id}/deliveries`, '#deliveries', 'deliveries'],
      ['#/event-types', '#event-types', 'event-types'],
      ['#/settings', '#settings-form', 'settings'],
      ['#/stats', '#chart-deliveries canvas', 'overview'],
    ];
    for (const [hash, ready, name] of screens) {
      await page.goto(`${h.baseUrl}/admin/${hash}`);
      await page.waitForSelector(ready);
      // The page itself never scrolls sideways (a wide table scrolls inside its card).
      const width = await page.$eval('html', (el) => (el as unknown as { scrollWidth: number }).scrollWidth);
      expect({ screen: name, width: Math.max(width, 375) }).toEqual({ screen: name, width: 375 });
      await page.screenshot({ path: join(SCREENSHOTS, `admin-${name}-375.png`), fullPage: true });
    }
    // Every control of the form is reachable with the keyboard, in order, and labelled.
    await page.goto(`${h.baseUrl}/admin/#/webhooks/${hook.body.id}`);
    await page.waitForSelector('#webhook-form');
    const controls = await page.$$eval(
      '#webhook-form input:not([type=checkbox]), #webhook-form select, #webhook-form textarea',
      (els) => els.map((el) => (el as unknown as { id: string }).id),
    );
    expect(controls.length).toBeGreaterThan(10);
    const unlabelled: string[] = [];
    for (const id of controls)
      if ((await page.locator(`label[for="${id}"]`).count()) === 0) unlabelled.push(id);
    expect(unlabelled).toEqual([]);
    await page.focus('#name');
    await page.keyboard.press('Tab');
    expect(await page.$eval(':focus', (el) => (el as unknown as { id: string }).id)).toBe('url');
    await finish();
  }, 60_000);

  describe('tenants: any key signs in and sees what it may reach', () => {
    /** Organization acme with applications shop (two webhooks) and blog (one), and its people. */
    const keys: Record<string, string> = {};
    beforeAll(async () => {
      await h.api('POST', '/v1/orgs', { id: 'acme', name: 'Acme' });
      for (const id of ['shop', 'blog']) await h.api('POST', '/v1/orgs/acme/apps', { id, name: id });
      for (const [app, name] of [
        ['shop', 'shop orders'],
        ['shop', 'shop refunds'],
        ['blog', 'blog posts'],
      ])
        await h.api('POST', `/v1/apps/${app}/webhooks`, { name, url: receiver.url, events: ['page.hit'] });
      for (const [name, orgRole, appRoles] of [
        ['owner', 'owner', { shop: 'owner' }],
        ['viewer', 'viewer', { shop: 'viewer' }],
      ] as const)
        keys[name] = (
          await h.api<{ key: string }>('POST', '/v1/orgs/acme/members', { name, orgRole, appRoles })
        ).body.key;
    });

    const switcherApps = (page: Page) =>
      page.$$eval('#app-switcher option', (options) => options.map((o) => o.getAttribute('value')));
    const listedWebhooks = (page: Page) =>
      page.$$eval('#webhooks tbody tr[data-webhook] td:first-child', (cells) =>
        cells.map((c) => c.textContent),
      );

    test("the switcher lists only what the key reaches; switching shows that application's webhooks", async () => {
      const { page, finish } = await watchedPage();
      await signIn(page, keys.viewer!);
      await page.waitForSelector('#webhooks');
      // A viewer of shop in acme: shop only (not blog, not another organization's default).
      expect(await switcherApps(page)).toEqual(['shop']);
      expect((await listedWebhooks(page)).sort()).toEqual(['shop orders', 'shop refunds']);

      const admin = await watchedPage();
      await signIn(admin.page);
      await admin.page.waitForSelector('#webhooks');
      expect((await switcherApps(admin.page)).sort()).toEqual(['blog', 'default', 'shop']);
      await admin.page.selectOption('#app-switcher', 'blog');
      await admin.page.waitForSelector('#webhooks tr[data-webhook]');
      await waitUntil(async () => JSON.stringify(await listedWebhooks(admin.page)) === '["blog posts"]');
      await admin.finish();
      await finish();
    }, 60_000);

    test('a viewer sees no edit controls, and the API refuses a change forced from the page', async () => {
      const { page, finish } = await watchedPage();
      await signIn(page, keys.viewer!);
      await page.waitForSelector('#webhooks tr[data-webhook]');
      expect(await page.$('#new-webhook')).toBeNull();
      expect(await page.$('#webhooks button.toggle')).toBeNull();
      for (const link of ['#nav-members', '#nav-keys', '#nav-settings', '#nav-event-types', '#nav-queues'])
        expect(await page.isVisible(link)).toBe(false);
      // Its settings, read-only: every field disabled, no Save or Send test.
      await page.click('#webhooks tr[data-webhook] td:first-child a');
      await page.waitForSelector('#webhook-form');
      expect(await page.isDisabled('#name')).toBe(true);
      expect(await page.$('#webhook-form button[type=submit]')).toBeNull();
      // Forced from the page with its own key: Mix's rule answers.
      const id = (await h.api<{ id: string }[]>('GET', '/v1/apps/shop/webhooks')).body[0]!.id;
      const status = await page.evaluate(
        async ([key, path]) =>
          (
            await fetch(path!, {
              method: 'PATCH',
              headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ description: 'forced' }),
            })
          ).status,
        [keys.viewer, `/v1/apps/shop/webhooks/${id}`],
      );
      expect(status).toBe(403);
      // Bull Board is for installation admins: no session cookie for a member.
      expect((await page.goto(`${h.baseUrl}/admin/queues/`))?.status()).toBe(401);
      await finish();
    }, 60_000);

    test('an org owner adds a member and makes an app key; the key shown once works', async () => {
      const { page, finish } = await watchedPage();
      await signIn(page, keys.owner!);
      await page.waitForSelector('#webhooks');
      expect(await page.isVisible('#new-webhook')).toBe(true);

      await page.click('#nav-members');
      await page.waitForSelector('#member-form');
      await page.fill('#member-name', 'Grace');
      await page.selectOption('#orgRole', 'member');
      await page.selectOption('#appRole', 'viewer');
      await page.click('#member-form button[type=submit]');
      await page.waitForSelector('#member-key');
      const memberKey = /key \(shown once, give it to them\): (\S+)/.exec(
        (await page.textContent('#member-key'))!,
      )![1]!;
      await page.waitForSelector('#members tr:has-text("Grace")');
      const grace = await h.api<{ kind: string; apps: { id: string; role: string }[] }>(
        'GET',
        '/v1/me',
        undefined,
        {
          key: memberKey,
        },
      );
      expect(grace.body).toMatchObject({
        kind: 'member',
        role: 'member',
        apps: [{ id: 'shop', role: 'viewer' }],
      });

      await page.click('#nav-keys');
      await page.waitForSelector('#app-key-form');
      await page.fill('#key-name', 'shop ci');
      await page.click('#app-key-form button[type=submit]');
      await page.waitForSelector('#app-key');
      const appKey = /The key \(shown once\): (\S+)/.exec((await page.textContent('#app-key'))!)![1]!;
      await page.waitForSelector('#app-keys tr:has-text("shop ci")');
      const posted = await h.api(
        'POST',
        '/v1/apps/shop/events',
        { type: 'page.hit', payload: {} },
        { key: appKey },
      );
      expect(posted.status).toBe(202);
      await finish();
    }, 60_000);
  });
});
