import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents, totalOf, type Stats } from '../support/fixtures.js';

// Stats, the queue and the Prometheus series per application: each application sees only its
// own deliveries.
describe('stats and metrics per application', () => {
  let h: Harness;
  let ok: Receiver;
  let down: Receiver;

  beforeAll(async () => {
    h = await startHarness({
      settings: { queueMode: 'immediate' },
      // A failed delivery waits a minute for its retry: pending, in its application's queue.
      retryPolicy: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 5 },
    });
    ok = await startReceiver();
    down = await startReceiver(() => ({ status: 500 }));
    await h.api('POST', '/v1/orgs', { id: 'shops', name: 'Shops' });
    for (const id of ['north', 'south']) await h.api('POST', '/v1/orgs/shops/apps', { id, name: id });
  });
  afterAll(async () => {
    await h.stop();
    await ok.close();
    await down.close();
  });

  it("GET /v1/apps/:app/stats and /queue count that application's webhooks only; /metrics labels them by app", async () => {
    await createWebhook(h, { url: ok.url, events: ['page.hit'] }, 'north');
    await createWebhook(h, { url: down.url, events: ['page.hit'] }, 'south');
    await postEvents(
      h,
      [1, 2, 3].map((n) => ({ type: 'page.hit', payload: { n } })),
      'north',
    );
    await postEvents(h, [{ type: 'page.hit', payload: { n: 4 } }], 'south');
    await ok.waitFor(3);
    await down.waitFor(1);

    const stats = async (app: string) => (await h.api<Stats>('GET', `/v1/apps/${app}/stats`)).body;
    await waitUntil(async () => {
      await h.engine.stats!.flush();
      const [north, south] = [await stats('north'), await stats('south')];
      return totalOf(north, 'success') === 3 && totalOf(south, 'failed') === 1;
    }, 30_000);
    const [north, south] = [await stats('north'), await stats('south')];
    expect([totalOf(north, 'success'), totalOf(north, 'failed')]).toEqual([3, 0]);
    expect([totalOf(south, 'success'), totalOf(south, 'failed')]).toEqual([0, 1]);
    // Application default has no webhook: nothing of theirs.
    expect(totalOf(await stats('default'), 'success')).toBe(0);

    // South's failed delivery waits, pending, in its queue; north's is empty.
    const queue = async (app: string) =>
      (await h.api<{ total: number }>('GET', `/v1/apps/${app}/queue`)).body.total;
    await waitUntil(async () => (await queue('south')) === 1);
    expect(await queue('north')).toBe(0);

    const text = await waitUntil(async () => {
      const t = await (await fetch(`${h.baseUrl}/metrics`)).text();
      return t.includes('hookline_app_deliveries_total{app="south",status="failed"} 1') ? t : undefined;
    });
    expect(text).toContain('hookline_app_events_ingested_total{app="north"} 3');
    expect(text).toContain('hookline_app_events_ingested_total{app="south"} 1');
    expect(text).toContain('hookline_app_deliveries_total{app="north",status="success"} 3');
    expect(text).toContain('hookline_app_queue_depth{app="south"} 1');
    expect(text).not.toMatch(/hookline_app_queue_depth\{app="north"\}/);
  });
});
