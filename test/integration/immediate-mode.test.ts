import {
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  ofWebhook,
} from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';
import { createWebhook, depth } from '../support/fixtures.js';

describe('immediate mode', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  // How soon it arrives is the benchmark's business (npm run bench -- latency), not a test's.
  it('sends one request per event at once, without a worker, in the batch shape with one element', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted', 'contact.updated'] });
    for (let i = 0; i < 5; i++) {
      const type = i % 2 ? 'contact.updated' : 'form.submitted';
      const res = await h.api('POST', '/v1/events', { type, payload: { i } });
      expect(res.status).toBe(202);
      const arrived = (await receiver.waitFor(i + 1))[i]!;
      const body = JSON.parse(arrived.body) as Record<string, { i: number; timestamp: string }[]>;
      expect(Object.keys(body)).toEqual([type]);
      expect(body[type]).toHaveLength(1);
      expect(body[type]![0]!.i).toBe(i);
      expect(Number.isNaN(Date.parse(body[type]![0]!.timestamp))).toBe(false);
      expect(arrived.headers['webhook-signature']).toBe(
        independentHmacSha256Base64(hook.secret, arrived.raw),
      );
    }

    await waitUntil(async () => {
      const logs = await h.api<{ mode: string; status: string }[]>(
        'GET',
        `/v1/webhooks/${hook.id}/deliveries`,
      );
      return (
        logs.body.length === 5 && logs.body.every((l) => l.mode === 'immediate' && l.status === 'success')
      );
    });
    expect(await depth(h)).toBe(0);
  });

  it('when the receiver is down, the event stays queued and the worker delivers it as the same batch', async () => {
    receiver.respondWith((_req, i) => (i === 0 ? { status: 503, body: 'down' } : { status: 200 }));
    const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
    const res = await h.api('POST', '/v1/events', { type: 'form.submitted', payload: { n: 1 } });
    expect(res.status).toBe(202);
    await receiver.waitFor(1);
    await waitUntil(async () => (await ofWebhook(h.db.knex, 'delivery_logs', hook.id)).length === 1);
    expect(await depth(h, hook.id)).toBe(1);

    await h.startWorker();
    const [first, second] = await receiver.waitFor(2, 10_000);
    expect(second!.headers['x-hookline-delivery']).toBe(first!.headers['x-hookline-delivery']);
    expect(second!.body).toBe(first!.body);
    await waitUntil(async () => (await depth(h, hook.id)) === 0);
  });
});

describe('routing', () => {
  let h: Harness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
  });
  afterAll(async () => {
    await h.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('a webhook not subscribed to the type receives nothing, a disabled one keeps it in its backlog; two subscribed webhooks both get it', async () => {
    const [a, b, notSubscribed, disabled] = await Promise.all([1, 2, 3, 4].map(() => startReceiver()));
    receivers.push(a!, b!, notSubscribed!, disabled!);
    await createWebhook(h, { url: a!.url, events: ['form.submitted'] });
    await createWebhook(h, { url: b!.url, events: ['mautic.form_on_submit', 'page.hit'] }); // Mautic name accepted
    const other = await createWebhook(h, { url: notSubscribed!.url, events: ['contact.updated'] });
    const off = await createWebhook(h, { url: disabled!.url, events: ['form.submitted'], enabled: false });

    const res = await h.api('POST', '/v1/events', { type: 'form.submitted', payload: { form: { id: 7 } } });
    expect(res.status).toBe(202);
    await Promise.all([a!.waitFor(1), b!.waitFor(1)]);

    // Batches and queue rows are written with the event, before the 202: the database says it all.
    const batchesOf = async (id: string) => ofWebhook(h.db.knex, 'batches', id);
    expect(await batchesOf(other.id)).toHaveLength(0);
    expect(await batchesOf(off.id)).toHaveLength(0);
    expect(a!.requests).toHaveLength(1);
    expect(b!.requests).toHaveLength(1);
    expect(notSubscribed!.requests).toHaveLength(0);
    expect(disabled!.requests).toHaveLength(0);
    expect(await depth(h, other.id)).toBe(0);
    // Kept for the disabled webhook until it is enabled (or its backlog discarded), not sent.
    expect(await depth(h, off.id)).toBe(1);
  });
});
