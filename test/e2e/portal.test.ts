import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import {
  freePort,
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
} from '@hookline/testing';

// The portal page in real headless Chromium (docs/PORTAL.md): opened from a link, it shows its
// application's endpoints and nothing of any other, keeps the token out of every URL, and may be
// framed only by the origins HOOKLINE_PORTAL_FRAME_ANCESTORS lists.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let h: Harness;
let receiver: Receiver;
let browser: Browser;
/** Two local pages that frame the portal: one on a listed origin, one on another. */
let listed: { server: Server; url: string };
let unlisted: { server: Server; url: string };

/** A page on its own local origin whose body frames `portal()`'s address. */
async function framingPage(port: number, portal: () => string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>embed</title><iframe id="portal" src="${portal()}"></iframe>`);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

let link = '';

beforeAll(async () => {
  const listedPort = await freePort();
  h = await startHarness({
    settings: { queueMode: 'immediate' },
    portalFrameAncestors: `'self' http://127.0.0.1:${listedPort}`,
  });
  receiver = await startReceiver();
  listed = await framingPage(listedPort, () => link);
  unlisted = await framingPage(await freePort(), () => link);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  await h.api('POST', '/v1/orgs', { id: 'acme', name: 'Acme' });
  await h.api('POST', '/v1/orgs/acme/apps', { id: 'shop', name: 'The Shop' });
  await h.api('POST', '/v1/orgs/acme/apps', { id: 'other', name: 'Other' });
  await h.api('PATCH', '/v1/apps/shop', { portal: { accent: '#0a7755' } });
  for (const app of ['shop', 'other'])
    await h.api('POST', `/v1/apps/${app}/webhooks`, {
      name: `${app} hook`,
      url: receiver.url,
      events: ['page.hit'],
    });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  for (const s of [listed, unlisted]) s?.server.close();
  await h?.stop();
});

const newLink = async (body: unknown = {}) =>
  (await h.api<{ url: string; token: string }>('POST', '/v1/apps/shop/portal-access', body)).body;

/** A page that records every request's URL, off-origin requests and page errors. */
async function watched() {
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, requests, errors };
}

describe('the portal in headless Chromium', () => {
  test("shows its application's endpoints, named and coloured, and keeps the token out of every URL", async () => {
    const { url, token } = await newLink();
    const { context, page, requests, errors } = await watched();
    await page.goto(url.replace('http://hookline.test', h.baseUrl));
    await page.waitForSelector('#webhooks');
    expect(await page.textContent('#portal-app')).toBe('The Shop: webhooks');
    expect(
      await page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent')"),
    ).toBe('#0a7755');
    const names = await page.$$eval('#webhooks tbody tr td:first-child', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(names).toEqual(['shop hook']);
    expect(page.url()).not.toContain(token);
    expect(requests.filter((r) => r.includes(token))).toEqual([]);
    expect(requests.filter((r) => !r.startsWith(`${h.baseUrl}/`))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a read-only link shows no control that changes anything', async () => {
    const { url } = await newLink({ readOnly: true });
    const { context, page } = await watched();
    await page.goto(url.replace('http://hookline.test', h.baseUrl));
    await page.waitForSelector('#webhooks tbody tr');
    expect(await page.$('#new-webhook')).toBeNull();
    expect(await page.$('#webhooks button.toggle')).toBeNull();
    await context.close();
  });

  test('a request edited to name another application is refused, and the page shows nothing of it', async () => {
    const { url } = await newLink();
    const { context, page } = await watched();
    await context.route('**/v1/apps/shop/**', (route) =>
      route.continue({ url: route.request().url().replace('/v1/apps/shop/', '/v1/apps/other/') }),
    );
    await page.goto(url.replace('http://hookline.test', h.baseUrl));
    await page.waitForSelector('.notice, [role=alert], #webhooks');
    expect(await page.content()).not.toContain('other hook');
    expect(await page.content()).toContain('No application other');
    await context.close();
  });

  test('a revoked link ends the session with a message, not a sign-in form', async () => {
    const { url } = await newLink();
    const { context, page } = await watched();
    await page.goto(url.replace('http://hookline.test', h.baseUrl));
    await page.waitForSelector('#webhooks');
    expect((await h.api('DELETE', '/v1/apps/shop/portal-access')).status).toBe(204);
    // Each process honours a revoked token for up to 5 s (its key cache): reload until it ends.
    await waitUntil(async () => {
      await page.reload();
      await page.waitForSelector('#webhooks, #portal-message');
      const message = await page.$('#portal-message');
      return message && (await message.textContent())?.includes('expired or was revoked');
    }, 15_000);
    await context.close();
  });

  test('is framed by a listed origin and refused by any other', async () => {
    link = (await newLink()).url.replace('http://hookline.test', h.baseUrl);
    const { context, page } = await watched();
    await page.goto(listed.url);
    const frame = await (await page.waitForSelector('#portal')).contentFrame();
    await frame!.waitForSelector('#webhooks');

    // Chromium reports the refusal on the console; the frame then holds no portal.
    const other = await context.newPage();
    const violation = other.waitForEvent('console', {
      predicate: (m) => /frame-ancestors/.test(m.text()),
      timeout: 15_000,
    });
    await other.goto(unlisted.url);
    await violation;
    const refused = await (await other.waitForSelector('#portal')).contentFrame();
    expect(await refused?.$('#webhooks')).toBeFalsy();
    await context.close();
  });
});
