import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

interface Delivery {
  status: string;
  url: string;
}

const seqs = (r: Receiver) =>
  r.requests.flatMap((q) =>
    (JSON.parse(q.body) as { 'page.hit': { seq: number }[] })['page.hit'].map((e) => e.seq),
  );

describe('several callback URLs on one webhook', () => {
  let h: Harness;
  let failing: Receiver;
  let b: Receiver;
  let c: Receiver;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'queue', batchLimit: 2 } });
    failing = await startReceiver(() => ({ status: 500 }));
    b = await startReceiver();
    c = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await Promise.all([failing.close(), b.close(), c.close()]);
  });

  it('each URL gets every delivery in order, with its own retries and log; a failing URL blocks none', async () => {
    const hook = await createWebhook(h, { urls: [failing.url, b.url, c.url], events: ['page.hit'] });
    expect(hook).toMatchObject({ url: failing.url, urls: [failing.url, b.url, c.url] });
    expect((await h.api<unknown[]>('GET', '/v1/webhooks')).body).toHaveLength(1);
    await h.startWorker();
    await postEvents(
      h,
      Array.from({ length: 5 }, (_, seq) => ({ type: 'page.hit', payload: { seq } })),
    );
    await waitUntil(() => seqs(b).length === 5 && seqs(c).length === 5);
    expect(seqs(b)).toEqual([0, 1, 2, 3, 4]);
    expect(seqs(c)).toEqual([0, 1, 2, 3, 4]);
    // The first URL keeps failing and retrying its own first batch, alone.
    const logs = await waitUntil(async () => {
      const all = (await h.api<Delivery[]>('GET', `/v1/webhooks/${hook.id}/deliveries?limit=100`)).body;
      return all.some((l) => l.url === failing.url && l.status === 'failed') ? all : undefined;
    });
    expect(logs.filter((l) => l.url === b.url && l.status === 'success')).toHaveLength(3);
    expect(logs.filter((l) => l.url === c.url && l.status === 'success')).toHaveLength(3);
    expect(logs.filter((l) => l.url === failing.url).every((l) => l.status === 'failed')).toBe(true);
    // Every request of one delivery to B and to C carries the same batch shape and signature scheme.
    expect(b.requests[0]!.body).toBe(c.requests[0]!.body);
  });

  it('immediate mode sends each event to every URL', async () => {
    await h.api('PATCH', '/v1/settings', { queueMode: 'immediate' });
    await h.engine.settings.refresh();
    await createWebhook(h, { urls: [b.url, c.url], events: ['page.hit'] });
    await postEvents(h, [{ type: 'page.hit', payload: { seq: 7 } }]);
    await b.waitFor(1);
    await c.waitFor(1);
    expect(seqs(b)).toEqual([7]);
    expect(seqs(c)).toEqual([7]);
  });

  it('changing urls keeps the URLs still listed, drops the others with their queue, and adds new ones; other fields apply to every URL', async () => {
    const hook = await createWebhook(h, { urls: [failing.url, b.url], events: ['page.hit'] });
    await postEvents(h, [{ type: 'page.hit', payload: { seq: 0 } }]);
    // The queue shows the webhook, its URLs' events counted under it.
    const queue = await h.api<{ total: number; webhooks: { webhookId: string; depth: number }[] }>(
      'GET',
      '/v1/queue',
    );
    expect(queue.body).toEqual({ total: 2, webhooks: [{ webhookId: hook.id, depth: 2 }] });
    const patched = await h.api<{ urls: string[]; url: string; name: string }>(
      'PATCH',
      `/v1/webhooks/${hook.id}`,
      {
        urls: [b.url, c.url],
        name: 'renamed',
      },
    );
    expect(patched.body).toMatchObject({ url: b.url, urls: [b.url, c.url], name: 'renamed' });
    const rows = await h.db
      .knex('endpoints')
      .join('webhooks', 'webhooks.id', 'endpoints.webhook_id')
      .select('endpoints.url', 'webhooks.name')
      .orderBy('endpoints.position');
    expect(rows).toEqual([
      { url: b.url, name: 'renamed' },
      { url: c.url, name: 'renamed' },
    ]);
    // The first endpoint (now b's URL) keeps its queued event; c is new, so it has none.
    await h.startWorker();
    await postEvents(h, [{ type: 'page.hit', payload: { seq: 1 } }]);
    await waitUntil(() => seqs(b).length === 2 && seqs(c).length === 1);
    expect(seqs(b)).toEqual([0, 1]);
    expect(seqs(c)).toEqual([1]);
  });

  it('refuses url and urls that disagree, duplicate URLs, and more than 10', async () => {
    const bad = async (body: Record<string, unknown>) =>
      (await h.api('POST', '/v1/webhooks', { name: 'x', events: ['page.hit'], ...body })).status;
    expect(await bad({ url: b.url, urls: [c.url] })).toBe(400);
    expect(await bad({ urls: [b.url, b.url] })).toBe(400);
    expect(await bad({ urls: Array.from({ length: 11 }, (_, i) => `${b.url}/${i}`) })).toBe(400);
    expect(await bad({})).toBe(400);
    expect(await bad({ url: b.url, urls: [b.url, c.url] })).toBe(201);
  });

  it('a second URL is not a webhook of its own in the API, and deleting the webhook deletes every URL', async () => {
    const hook = await createWebhook(h, { urls: [b.url, c.url], events: ['page.hit'] });
    const second = await h.db
      .knex('endpoints')
      .where({ webhook_id: hook.id, position: 1 })
      .first<{ id: string }>();
    expect((await h.api('GET', `/v1/webhooks/${second.id}`)).status).toBe(404);
    expect((await h.api('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect(await h.db.knex('webhooks').count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '0' }]);
    expect(await h.db.knex('endpoints').count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '0' }]);
  });
});
