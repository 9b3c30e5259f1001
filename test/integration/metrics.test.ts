import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

describe('GET /metrics (Prometheus, prom-client)', () => {
  let h: Harness;
  let ok: Receiver;
  let gone: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    ok = await startReceiver();
    gone = await startReceiver(() => ({ status: 410 }));
  });
  afterAll(async () => {
    await h.stop();
    await ok.close();
    await gone.close();
  });

  const scrape = async () => {
    const res = await fetch(`${h.baseUrl}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  it('counts events ingested, deliveries by status and mode, durations, queue depth and disabled webhooks', async () => {
    await createWebhook(h, { url: ok.url, events: ['page.hit'] });
    const lost = await createWebhook(h, { url: gone.url, events: ['page.hit'] });
    await postEvents(h, [
      { type: 'page.hit', id: 'm-1', payload: {} },
      { type: 'page.hit', id: 'm-1', payload: {} }, // a duplicate is not counted
      { type: 'page.hit', payload: {} },
    ]);
    const text = await waitUntil(async () => {
      const t = await scrape();
      return t.includes('hookline_deliveries_total{status="failed",mode="immediate"} 2') &&
        t.includes('hookline_webhooks_disabled 1')
        ? t
        : undefined;
    }).catch(async (err: Error) => {
      throw new Error(
        `${err.message}\n${(await scrape())
          .split('\n')
          .filter(
            (l) =>
              l.startsWith('hookline_') &&
              !l.startsWith('hookline_nodejs') &&
              !l.startsWith('hookline_process'),
          )
          .join('\n')}`,
      );
    });
    expect(text).toContain('hookline_events_ingested_total 2');
    expect(text).toContain('hookline_deliveries_total{status="success",mode="immediate"} 2');
    expect(text).toMatch(/hookline_delivery_duration_seconds_count\{status="success"\} 2/);
    // Both events went out at once (immediate mode); the 410s disabled the webhook, and its two
    // batches wait, pending, for it to be re-enabled.
    expect(text).toContain(`hookline_queue_depth{webhook_id="${lost.id}"} 2`);
    expect(text).toMatch(/hookline_process_resident_memory_bytes \d+/);
  });

  it('GET /v1/queue reports the same per-webhook depth as the gauge, for the dashboard', async () => {
    const webhooks = await h.api<{ id: string; url: string }[]>('GET', '/v1/webhooks');
    const lost = webhooks.body.find((w) => w.url === gone.url)!;
    const queue = await h.api<{ total: number; webhooks: { webhookId: string; depth: number }[] }>(
      'GET',
      '/v1/queue',
    );
    expect(queue.status).toBe(200);
    expect(queue.body).toEqual({ total: 2, webhooks: [{ webhookId: lost.id, depth: 2 }] });
  });
});
