import { snapshotQueue } from '@hookline/db';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents, totalOf, type Stats } from '../support/fixtures.js';

describe('GET /v1/stats: per-minute counters kept by the delivering processes', () => {
  let h: Harness;
  let ok: Receiver;
  let down: Receiver;

  beforeAll(async () => {
    h = await startHarness({
      settings: { queueMode: 'immediate' },
      retryPolicy: { baseDelayMs: 50, maxDelayMs: 50, maxAttempts: 2 },
    });
    ok = await startReceiver();
    down = await startReceiver(() => ({ status: 500 }));
  });
  afterAll(async () => {
    await h.stop();
    await ok.close();
    await down.close();
  });

  it('counts successes and failures per webhook and overall, a bucket a minute, with latency', async () => {
    const good = await createWebhook(h, { url: ok.url, events: ['page.hit'] });
    const bad = await createWebhook(h, { url: down.url, events: ['page.hit'] });
    await postEvents(
      h,
      Array.from({ length: 3 }, (_, n) => ({ type: 'page.hit', payload: { n } })),
    );
    await ok.waitFor(3);
    await h.startWorker();
    // Each of the bad webhook's three deliveries fails twice (first try, one retry); counters
    // reach Postgres at the next flush.
    const counted = async (id: string, key: 'success' | 'failed', n: number) =>
      waitUntil(async () => {
        await h.engine.stats!.flush();
        return totalOf((await h.api<Stats>('GET', `/v1/stats?webhook=${id}`)).body, key) === n || undefined;
      }, 30_000);
    await counted(good.id, 'success', 3);
    await counted(bad.id, 'failed', 6);
    expect(down.requests).toHaveLength(6);

    const one = await h.api<Stats>('GET', `/v1/stats?webhook=${good.id}&window=1h`);
    expect(one.status).toBe(200);
    expect(one.body.window).toBe('1h');
    expect(one.body.buckets).toHaveLength(60);
    // The current minute comes last (the call may have been a minute ago by now).
    const last = new Date(one.body.buckets[59]!.t).getTime();
    expect(Math.floor(Date.now() / 60_000) * 60_000 - last).toBeLessThanOrEqual(60_000);
    expect({ success: totalOf(one.body, 'success'), failed: totalOf(one.body, 'failed') }).toEqual({
      success: 3,
      failed: 0,
    });
    const busy = one.body.buckets.filter((b) => b.success > 0);
    expect(busy.every((b) => typeof b.p50Ms === 'number' && b.p99Ms! >= b.p50Ms!)).toBe(true);

    const failing = (await h.api<Stats>('GET', `/v1/stats?webhook=${bad.id}`)).body;
    expect({ success: totalOf(failing, 'success'), failed: totalOf(failing, 'failed') }).toEqual({
      success: 0,
      failed: down.requests.length,
    });

    const all = (await h.api<Stats>('GET', '/v1/stats?window=24h')).body;
    expect(all.buckets).toHaveLength(1440);
    expect(totalOf(all, 'success')).toBe(3);
    expect(totalOf(all, 'failed')).toBe(down.requests.length);
  });

  it("shows what waits per minute from the workers' snapshot", async () => {
    await h.api('PATCH', '/v1/settings', { queueMode: 'queue' });
    await h.engine.settings.refresh();
    const paused = await createWebhook(h, { url: ok.url, events: ['email.sent'], enabled: false });
    await postEvents(h, [
      { type: 'email.sent', payload: {} },
      { type: 'email.sent', payload: {} },
    ]);
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await snapshotQueue(h.db.knex, minute);
    const stats = (await h.api<Stats>('GET', `/v1/stats?webhook=${paused.id}`)).body;
    expect(stats.buckets.find((b) => b.t === minute.toISOString())).toMatchObject({
      queueDepth: 2,
      retryBacklog: 0,
    });
  });

  it('refuses an unknown window and webhook', async () => {
    expect((await h.api('GET', '/v1/stats?window=7d')).status).toBe(400);
    expect((await h.api('GET', '/v1/stats?webhook=00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
