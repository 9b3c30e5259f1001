import { cutBatch, insertBatches, leaseEndpoint, queueDepth, releaseLease } from '@hookline/db';
import { acceptEvents, drainEndpoint } from '@hookline/delivery';
import {
  endpointOf,
  ofWebhook,
  startHarness,
  startReceiver,
  type Harness,
  type Receiver,
} from '@hookline/testing';

describe('drainEndpoint', () => {
  let h: Harness;
  let receiver: Receiver;
  let webhookId: string;
  /** The webhook's one endpoint, which a drain works on. */
  let endpointId: string;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'queue', batchLimit: 2 } });
    receiver = await startReceiver();
    const res = await h.api<{ id: string }>('POST', '/v1/webhooks', {
      name: 'w',
      url: receiver.url,
      events: ['page.hit'],
    });
    webhookId = res.body.id;
    endpointId = await endpointOf(h.db.knex, webhookId);
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  const hit = (n: number) => ({
    appId: 'default',
    type: 'page.hit',
    payload: `{"n":${n}}`,
    occurredAt: new Date(),
    idempotencyKey: null,
  });

  it('does nothing while another worker holds the endpoint lease', async () => {
    await acceptEvents(h.engine, [hit(1)]);
    expect(await leaseEndpoint(h.db.knex, endpointId, 'other-worker', 60_000)).toMatchObject({
      endpoint: { id: endpointId },
    });
    const summary = await drainEndpoint(h.engine, endpointId);
    expect(summary.result).toBe('busy');
    expect(receiver.requests).toHaveLength(0);
    await releaseLease(h.db.knex, endpointId, 'other-worker');
    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('done');
    expect(receiver.requests).toHaveLength(1);
  });

  it('a turn yields after its quantum when others wait, leaving nothing cut ahead, and order holds', async () => {
    await acceptEvents(h.engine, [1, 2, 3, 4, 5, 6, 7, 8].map(hit));
    const turn = (othersWaiting: boolean) =>
      drainEndpoint(h.engine, endpointId, {
        quantum: { batches: 2, ms: 60_000, othersWaiting: async () => othersWaiting },
      });
    expect(await turn(true)).toMatchObject({ result: 'yielded', batches: 2, delivered: 4 });
    // The quantum's last batch cut nothing ahead: no batch waits, the rest is still queued.
    expect(await h.db.knex('batches').where({ status: 'pending' })).toHaveLength(0);
    expect(await queueDepth(h.db.knex, webhookId)).toBe(4);
    // Nobody else waiting: the turn carries on to the end.
    expect(await turn(false)).toMatchObject({ result: 'done', batches: 2, delivered: 4 });
    const seqs = receiver.requests.flatMap((r) =>
      (JSON.parse(r.body) as { 'page.hit': { n: number }[] })['page.hit'].map((e) => e.n),
    );
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a locked head batch (a dead worker mid-send) blocks newer events until its lock lapses', async () => {
    const [event] = (await acceptEvents(h.engine, [hit(1)])).events;
    // Event 1 was cut into a batch that some worker locked and then died with.
    await h.db.knex('endpoint_queue').where({ event_id: event!.id }).delete();
    const [stuck] = await insertBatches(h.db.knex, [
      {
        endpointId,
        mode: 'queue',
        body: '{"page.hit":[{"n":1}]}',
        eventIds: [event!.id],
        eventCount: 1,
        lockMs: 60_000,
      },
    ]);
    await acceptEvents(h.engine, [hit(2), hit(3)]);

    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('blocked');
    expect(receiver.requests).toHaveLength(0);

    await h.db
      .knex('batches')
      .where({ id: stuck })
      .update({ locked_until: h.db.knex.raw("now() - interval '1 second'") });
    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('done');
    expect(receiver.requests.map((r) => r.body)).toEqual([
      '{"page.hit":[{"n":1}]}',
      expect.stringMatching(
        /^\{"page\.hit":\[\{"n":2,"timestamp":"[^"]+"\},\{"n":3,"timestamp":"[^"]+"\}\]\}$/,
      ),
    ]);
    expect(receiver.requests[0]!.headers['x-hookline-delivery']).toBe(stuck);
  });

  it('a batch cut by a worker that died before storing its body is rendered once, then sent', async () => {
    await acceptEvents(h.engine, [hit(1), hit(2), hit(3)]);
    const cut = await cutBatch(h.db.knex, endpointId, 2, 'chronological', 60_000);
    expect(cut!.events.map((e) => e.payload)).toEqual(['{"n":1}', '{"n":2}']);
    // Its lock lapses, as a dead worker's would.
    await h.db
      .knex('batches')
      .where({ id: cut!.batchId })
      .update({ locked_until: h.db.knex.raw("now() - interval '1 second'") });
    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('done');
    expect(receiver.requests.map((r) => r.headers['x-hookline-delivery'])[0]).toBe(cut!.batchId);
    const bodies = receiver.requests.map((r) => JSON.parse(r.body) as { 'page.hit': { n: number }[] });
    expect(bodies.map((b) => b['page.hit'].map((e) => e.n))).toEqual([[1, 2], [3]]);
    expect((await h.db.knex('batches').where({ id: cut!.batchId }).first()).body).toBe(
      receiver.requests[0]!.body,
    );
  });

  it('stops after timeLimitSeconds and leaves the rest queued', async () => {
    await h.api('PATCH', '/v1/settings', { timeLimitSeconds: 1, batchLimit: 1 });
    receiver.respondWith(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { status: 200 };
    });
    await acceptEvents(h.engine, [1, 2, 3, 4, 5, 6, 7, 8].map(hit));
    const summary = await drainEndpoint(h.engine, endpointId);
    expect(summary.result).toBe('time_limit');
    expect(summary.batches).toBeGreaterThanOrEqual(3);
    expect(summary.batches).toBeLessThan(8);
    expect(await queueDepth(h.db.knex, webhookId)).toBe(8 - summary.delivered);
    // The batch cut ahead while the last one was in flight is handed back: body stored, unlocked.
    const pending = await ofWebhook(h.db.knex, 'batches', webhookId).where({ status: 'pending' });
    for (const batch of pending)
      expect(batch).toMatchObject({ body: expect.stringMatching(/^\{/), locked_until: null });

    await h.api('PATCH', '/v1/settings', { timeLimitSeconds: 60 });
    receiver.respondWith(() => ({ status: 200 }));
    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('done');
    const order = receiver.requests.map(
      (r) => (JSON.parse(r.body) as { 'page.hit': { n: number }[] })['page.hit'][0]!.n,
    );
    expect(order).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('the batch cut ahead while a batch fails waits for that batch, and goes out right after its retry', async () => {
    receiver.respondWith((_req, index) => ({ status: index === 0 ? 500 : 200 }));
    await acceptEvents(h.engine, [1, 2, 3, 4, 5, 6].map(hit));

    expect((await drainEndpoint(h.engine, endpointId)).result).toBe('blocked');
    expect(receiver.requests).toHaveLength(1);
    const batches = await ofWebhook(h.db.knex, 'batches', webhookId).orderBy('seq');
    expect(batches).toHaveLength(2);
    expect(batches[0]).toMatchObject({ status: 'pending', attempts: 1 });
    // Cut while the first was in flight, handed back unsent when it failed.
    expect(batches[1]).toMatchObject({ status: 'pending', attempts: 0, locked_until: null });
    expect(JSON.parse(batches[1].body as string)['page.hit'].map((e: { n: number }) => e.n)).toEqual([3, 4]);
    expect(await queueDepth(h.db.knex, webhookId)).toBe(6);

    await h.db.knex('batches').where({ id: batches[0].id }).update({ next_attempt_at: h.db.knex.fn.now() });
    expect(await drainEndpoint(h.engine, endpointId)).toMatchObject({ result: 'done', delivered: 6 });
    expect(receiver.requests.map((r) => r.headers['x-hookline-delivery'])).toEqual([
      batches[0].id,
      batches[0].id,
      batches[1].id,
      expect.any(String),
    ]);
    expect(receiver.requests[2]!.body).toBe(batches[1].body);
    expect(await queueDepth(h.db.knex, webhookId)).toBe(0);
  });

  it('sends every pending batch back to back in one drain before cutting new ones', async () => {
    // Three immediate sends that were cut off (their ingest died): pending, locks lapsed.
    const ids = (await acceptEvents(h.engine, [hit(1), hit(2), hit(3)])).events.map((e) => e.id);
    await ofWebhook(h.db.knex, 'endpoint_queue', webhookId).delete();
    await insertBatches(
      h.db.knex,
      ids.map((id, i) => ({
        endpointId,
        mode: 'immediate' as const,
        body: `{"page.hit":[{"n":${i + 1}}]}`,
        eventIds: [id],
        eventCount: 1,
      })),
    );
    await acceptEvents(h.engine, [hit(4)]);

    const summary = await drainEndpoint(h.engine, endpointId);
    expect(summary).toMatchObject({ result: 'done', batches: 4, delivered: 4 });
    expect(
      receiver.requests.map((r) => (JSON.parse(r.body) as { 'page.hit': { n: number }[] })['page.hit'][0]!.n),
    ).toEqual([1, 2, 3, 4]);
  });

  it('a recovery drain (cut: false) sends the pending batches and leaves queued events to the tick', async () => {
    const [event] = (await acceptEvents(h.engine, [hit(1)])).events;
    await h.db.knex('endpoint_queue').where({ event_id: event!.id }).delete();
    await insertBatches(h.db.knex, [
      { endpointId, mode: 'immediate', body: '{"page.hit":[{"n":1}]}', eventIds: [event!.id], eventCount: 1 },
    ]);
    await acceptEvents(h.engine, [hit(2), hit(3)]);

    expect(await drainEndpoint(h.engine, endpointId, { cut: false })).toMatchObject({
      result: 'done',
      batches: 1,
    });
    expect(receiver.requests.map((r) => r.body)).toEqual(['{"page.hit":[{"n":1}]}']);
    expect(await queueDepth(h.db.knex, webhookId)).toBe(2);
  });
});
