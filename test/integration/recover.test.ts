import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

interface Delivery {
  status: string;
  deliveryId: string;
}

const seqs = (r: Receiver, from = 0) =>
  r.requests
    .slice(from)
    .flatMap((q) => (JSON.parse(q.body) as { 'page.hit': { seq: number }[] })['page.hit'].map((e) => e.seq));

describe('bulk recovery: POST /v1/webhooks/:id/recover', () => {
  let h: Harness;
  let receiver: Receiver;
  let down = true;

  beforeEach(async () => {
    // Two attempts 50 ms apart: batches fail for good quickly.
    h = await startHarness({
      settings: { queueMode: 'queue', batchLimit: 1 },
      retryPolicy: { baseDelayMs: 50, maxDelayMs: 50, maxAttempts: 2 },
    });
    down = true;
    receiver = await startReceiver(() => (down ? { status: 503 } : { status: 200 }));
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it('resends every failed delivery since the given time, oldest first, and answers how many', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['page.hit'] });
    const before = new Date(Date.now() - 1000).toISOString();
    await h.startWorker();
    await postEvents(
      h,
      Array.from({ length: 3 }, (_, seq) => ({ type: 'page.hit', payload: { seq } })),
    );
    // Each of the three batches fails twice, for good.
    await waitUntil(async () => {
      const rows = await h.db.knex('batches').where({ status: 'failed' }).count<{ n: string }[]>({ n: '*' });
      return rows[0]!.n === '3';
    });
    const failedRequests = receiver.requests.length;
    down = false;

    const later = await h.api<{ batches: number }>('POST', `/v1/webhooks/${hook.id}/recover`, {
      since: new Date(Date.now() + 60_000).toISOString(),
    });
    expect(later).toMatchObject({ status: 202, body: { batches: 0 } });

    const res = await h.api<{ batches: number }>('POST', `/v1/webhooks/${hook.id}/recover`, {
      since: before,
    });
    expect(res).toMatchObject({ status: 202, body: { batches: 3 } });
    await waitUntil(() => seqs(receiver, failedRequests).length === 3);
    expect(seqs(receiver, failedRequests)).toEqual([0, 1, 2]);
    // Same deliveries: the same delivery ids, now delivered (logged just after the receiver answers).
    const logs = await waitUntil(async () => {
      const body = (await h.api<Delivery[]>('GET', `/v1/webhooks/${hook.id}/deliveries?limit=50`)).body;
      return body.filter((l) => l.status === 'success').length >= 3 ? body : undefined;
    });
    const delivered = logs.filter((l) => l.status === 'success').map((l) => l.deliveryId);
    const failed = new Set(logs.filter((l) => l.status === 'failed').map((l) => l.deliveryId));
    expect(delivered).toHaveLength(3);
    expect(delivered.every((id) => failed.has(id))).toBe(true);
    // Nothing is left to recover.
    const again = await h.api('POST', `/v1/webhooks/${hook.id}/recover`, { since: before });
    expect(again.body).toEqual({ batches: 0 });
  });

  it('refuses a missing or malformed since, and an unknown webhook', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['page.hit'] });
    expect((await h.api('POST', `/v1/webhooks/${hook.id}/recover`, {})).status).toBe(400);
    expect((await h.api('POST', `/v1/webhooks/${hook.id}/recover`, { since: 'yesterday' })).status).toBe(400);
    expect(
      (
        await h.api('POST', '/v1/webhooks/00000000-0000-4000-8000-000000000000/recover', {
          since: new Date().toISOString(),
        })
      ).status,
    ).toBe(404);
  });
});
