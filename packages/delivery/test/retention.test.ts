import { createPortalToken } from '@hookline/db';
import { pruneExpired } from '@hookline/delivery';
import {
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  ofWebhook,
} from '@hookline/testing';
import { createWebhook, postEvents } from '../../../test/support/fixtures.js';

describe('retention (retentionDays)', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeEach(async () => {
    h = await startHarness({
      settings: { queueMode: 'immediate', retentionDays: 30 },
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 1 },
    });
    receiver = await startReceiver((req) => ({ status: req.body.includes('"fail"') ? 500 : 200 }));
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  const count = async (table: string) =>
    Number((await h.db.knex(table).count<{ n: string }[]>({ n: '*' }))[0]!.n);

  /** Makes everything stored so far 31 days old. */
  async function ageEverything(): Promise<void> {
    const old = h.db.knex.raw("now() - interval '31 days'");
    await h.db.knex('events').update({ received_at: old });
    await h.db.knex('batches').update({ created_at: old });
    await h.db.knex('endpoint_queue').update({ created_at: old });
    await h.db.knex('delivery_logs').update({ created_at: old });
    await h.engine.stats!.flush();
    await h.db.knex('delivery_stats').update({ minute: old });
  }

  it('deletes what is older than retentionDays in chunks, drops old undelivered work with a log line and a metric, keeps the rest', async () => {
    const live = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
    const off = await createWebhook(h, { url: receiver.url, events: ['page.hit'], enabled: false });
    await postEvents(h, [
      { type: 'form.submitted', payload: { n: 1 }, id: 'old-key' },
      { type: 'form.submitted', payload: { n: 2 } },
      { type: 'form.submitted', payload: { fail: true } },
      { type: 'page.hit', payload: { n: 3 } }, // queued for the disabled webhook
    ]);
    await waitUntil(
      async () => (await h.db.knex('batches').whereIn('status', ['success', 'failed'])).length === 3,
    );
    await ageEverything();
    // Fresh work, which must survive.
    await postEvents(h, [{ type: 'form.submitted', payload: { n: 4 }, id: 'new-key' }]);
    await waitUntil(async () => (await h.db.knex('batches').where({ status: 'success' })).length === 3);
    await h.engine.stats!.flush();
    expect(await count('delivery_stats')).toBe(2); // the old minute's row and this one

    // Portal links: one expired before the cutoff, one expired since (it still says token_expired).
    const day = 86_400_000;
    await createPortalToken(h.db.knex, {
      appId: 'default',
      readOnly: false,
      expiresAt: new Date(Date.now() - 31 * day),
    });
    await createPortalToken(h.db.knex, {
      appId: 'default',
      readOnly: false,
      expiresAt: new Date(Date.now() - day),
    });

    const summary = await pruneExpired(h.engine, new Date(), { chunk: 2, pauseMs: 0 });
    expect(summary).toMatchObject({
      batches: 3,
      deliveryLogs: 3,
      events: 4,
      portalTokens: 1,
      dropped: { queued: 1, pending: 0, failed: 1 },
    });
    expect(await count('portal_tokens')).toBe(1);
    expect(await count('events')).toBe(1);
    expect(await count('batches')).toBe(1);
    expect(await count('delivery_logs')).toBe(1);
    expect(await count('endpoint_queue')).toBe(0);
    // Per-minute counters go with the rest: the old minute's row, not this one's.
    expect(summary.stats).toBe(1);
    expect(await count('delivery_stats')).toBe(1);
    expect(h.logs.filter((l) => l.includes('retention dropped undelivered events'))).toHaveLength(1);
    const metrics = await h.engine.metrics!.registry.getSingleMetricAsString(
      'hookline_retention_dropped_events_total',
    );
    expect(metrics).toContain('hookline_retention_dropped_events_total{state="queued"} 1');
    expect(metrics).toContain('hookline_retention_dropped_events_total{state="failed"} 1');

    // Idempotency keys live as long as their events: the expired one is free again.
    const again = await postEvents(h, [
      { type: 'form.submitted', payload: { n: 5 }, id: 'old-key' },
      { type: 'form.submitted', payload: { n: 6 }, id: 'new-key' },
    ]);
    expect(again.events.map((e) => e.duplicate)).toEqual([false, true]);
    expect(live.id).not.toBe(off.id);
  });

  it('keeps the events of a pending batch whose body was never stored (its worker died)', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
    await h.api('PATCH', '/v1/settings', { queueMode: 'queue' });
    await waitUntil(() => h.engine.settings.current().queueMode === 'queue');
    await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
    const [row] = await ofWebhook(h.db.knex, 'endpoint_queue', hook.id);
    await h.db.knex('endpoint_queue').where({ id: row.id }).delete();
    await h.db.knex('batches').insert({
      endpoint_id: row.endpoint_id,
      mode: 'queue',
      body: '',
      event_count: 1,
      event_ids: h.db.knex.raw('ARRAY[?]::bigint[]', [row.event_id]),
      created_at: h.db.knex.raw("now() - interval '1 day'"),
    });
    await ageEverything();
    await h.db.knex('batches').update({ created_at: h.db.knex.raw('now()') });

    const summary = await pruneExpired(h.engine, new Date(), { pauseMs: 0 });
    expect(summary.events).toBe(0);
    expect(await count('events')).toBe(1);
  });
});
