import { insertBatches, queueDepth } from '@hookline/db';
import {
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  endpointOf,
  ofWebhook,
} from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

/** A cron that never fires during a test run: only the recovery sweep can send anything. */
const NEVER = '0 0 1 1 *';

type Batch = Record<string, { n: number }[]>;
const numbers = (r: Receiver) =>
  r.requests.flatMap((req) =>
    Object.values(JSON.parse(req.body) as Batch).flatMap((list) => list.map((e) => e.n)),
  );

describe('delivery under trouble', () => {
  let h: Harness;
  let receiver: Receiver;

  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  describe('retries keep their own clock', () => {
    beforeEach(async () => {
      h = await startHarness({
        settings: { queueMode: 'immediate' },
        retryPolicy: { baseDelayMs: 300, maxDelayMs: 300, maxAttempts: 5 },
      });
      receiver = await startReceiver();
    });

    it('a failed immediate send is retried when due, though the cron tick never fires', async () => {
      receiver.respondWith((_req, i) => ({ status: i === 0 ? 503 : 200 }));
      await h.startWorker(NEVER);
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
      const [first, retry] = await receiver.waitFor(2, 15_000);
      expect(retry!.headers['x-hookline-delivery']).toBe(first!.headers['x-hookline-delivery']);
      expect(retry!.body).toBe(first!.body);
      await waitUntil(async () => (await queueDepth(h.db.knex, hook.id)) === 0);
    });

    it('immediate sends cut off mid-way (lock lapsed) are all resent by the sweep, back to back', async () => {
      await h.startWorker(NEVER);
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      // Ten sends whose ingest died: pending, their locks already lapsed.
      const ids = await h.db
        .knex('events')
        .insert(
          Array.from({ length: 10 }, (_, n) => ({
            type: 'form.submitted',
            payload: `{"n":${n}}`,
            occurred_at: new Date(),
          })),
        )
        .returning('id');
      const endpointId = await endpointOf(h.db.knex, hook.id);
      await insertBatches(
        h.db.knex,
        ids.map(({ id }: { id: string }, n) => ({
          endpointId,
          mode: 'immediate' as const,
          body: `{"form.submitted":[{"n":${n}}]}`,
          eventIds: [String(id)],
          eventCount: 1,
        })),
      );
      await receiver.waitFor(10, 15_000);
      expect(numbers(receiver)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });

  describe('what disables a webhook', () => {
    beforeEach(async () => {
      h = await startHarness({
        settings: { queueMode: 'immediate', disableLimit: 2 },
        retryPolicy: { baseDelayMs: 100, maxDelayMs: 100, maxAttempts: 3 },
      });
      receiver = await startReceiver();
    });

    it('a receiver outage shorter than the retry schedule never disables the webhook, whatever disableLimit', async () => {
      let healthy = false;
      receiver.respondWith(() => ({ status: healthy ? 200 : 500 }));
      await h.startWorker(NEVER);
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      await postEvents(
        h,
        [1, 2, 3, 4, 5].map((n) => ({ type: 'form.submitted', payload: { n } })),
      );
      // Five failed first attempts, more than disableLimit (2): none of them exhausted its retries.
      await waitUntil(() => receiver.requests.length >= 5);
      healthy = true;
      await waitUntil(
        async () => new Set(numbers(receiver)).size === 5 && (await queueDepthIsZero(hook.id)),
        15_000,
      );
      const after = await h.api<{ enabled: boolean; consecutiveFailures: number }>(
        'GET',
        `/v1/webhooks/${hook.id}`,
      );
      expect(after.body.enabled).toBe(true);
      expect(after.body.consecutiveFailures).toBe(0);
    });

    it('disableLimit consecutive batches that exhausted their retries disable it', async () => {
      receiver.respondWith(() => ({ status: 500 }));
      await h.startWorker(NEVER);
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
      await waitUntil(
        async () => (await h.db.knex('batches').where({ status: 'failed' })).length === 1,
        15_000,
      );
      expect((await h.api<{ enabled: boolean }>('GET', `/v1/webhooks/${hook.id}`)).body.enabled).toBe(true);
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 2 } }]);
      const disabled = await waitUntil(async () => {
        const res = await h.api<{ enabled: boolean; disabledReason: string }>(
          'GET',
          `/v1/webhooks/${hook.id}`,
        );
        return res.body.enabled ? undefined : res.body;
      }, 15_000);
      expect(disabled.disabledReason).toMatch(/^2 consecutive batches failed after all retries/);
      expect(receiver.requests).toHaveLength(6); // 3 attempts each
    });
  });

  async function queueDepthIsZero(webhookId: string): Promise<boolean> {
    return (await queueDepth(h.db.knex, webhookId)) === 0;
  }

  describe('a disabled webhook keeps its backlog', () => {
    beforeEach(async () => {
      h = await startHarness({ settings: { queueMode: 'immediate' } });
      receiver = await startReceiver();
    });

    it('events posted while it is disabled are queued for it and delivered in order once it is enabled', async () => {
      await h.startWorker(NEVER);
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'], enabled: false });
      await postEvents(
        h,
        [1, 2, 3, 4, 5].map((n) => ({ type: 'form.submitted', payload: { n } })),
      );
      expect(await queueDepth(h.db.knex, hook.id)).toBe(5);
      const listed = await h.api<{ webhooks: { id: string; depth: number }[] }>('GET', '/v1/queue');
      expect(JSON.stringify(listed.body)).toContain(hook.id);
      expect(receiver.requests).toHaveLength(0);

      expect((await h.api('POST', `/v1/webhooks/${hook.id}/enable`)).status).toBe(200);
      // Enabling starts a drain at once: no need to wait for the (never firing) tick.
      await waitUntil(() => numbers(receiver).length === 5, 15_000);
      expect(numbers(receiver)).toEqual([1, 2, 3, 4, 5]);
    });

    it('enable?discardBacklog=true drops the backlog instead', async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'], enabled: false });
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
      expect(await queueDepth(h.db.knex, hook.id)).toBe(1);
      expect((await h.api('POST', `/v1/webhooks/${hook.id}/enable?discardBacklog=maybe`)).status).toBe(400);
      expect(await queueDepth(h.db.knex, hook.id)).toBe(1);
      expect((await h.api('POST', `/v1/webhooks/${hook.id}/enable?discardBacklog=true`)).status).toBe(200);
      expect(await queueDepth(h.db.knex, hook.id)).toBe(0);
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 2 } }]);
      await receiver.waitFor(1);
      expect(numbers(receiver)).toEqual([2]);
    });
  });

  describe('one sender per batch', () => {
    beforeEach(async () => {
      h = await startHarness({ settings: { queueMode: 'immediate' } });
      receiver = await startReceiver();
    });

    it('a test send is never pending, so no worker can send it a second time', async () => {
      await h.startWorker();
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      receiver.respondWith(async () => {
        await held;
        return { status: 200 };
      });
      const sending = h.api('POST', `/v1/webhooks/${hook.id}/test`);
      await receiver.waitFor(1);
      // While the receiver holds the test request, nothing a worker could pick up exists.
      expect(await ofWebhook(h.db.knex, 'batches', hook.id).where({ status: 'pending' })).toHaveLength(0);
      release();
      expect((await sending).body).toMatchObject({ delivered: true });
      const logged = await h.api<{ mode: string }[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
      expect(logged.body.map((d) => d.mode)).toEqual(['test']);
      expect(await ofWebhook(h.db.knex, 'batches', hook.id)).toEqual([
        expect.objectContaining({ mode: 'test', status: 'success' }),
      ]);
    });

    it('redelivering a batch another process is sending answers 409 and sends nothing', async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
      await receiver.waitFor(1);
      // The delivery is logged just after the receiver answers.
      const [log] = await waitUntil(async () => {
        const logs = await h.api<{ id: string; deliveryId: string }[]>(
          'GET',
          `/v1/webhooks/${hook.id}/deliveries`,
        );
        return logs.body.length > 0 ? logs.body : undefined;
      });
      // Some worker holds the batch's lock right now.
      await h.db
        .knex('batches')
        .where({ id: log!.deliveryId })
        .update({ status: 'pending', locked_until: h.db.knex.raw("now() + interval '1 minute'") });
      const busy = await h.api<{ error: { code: string } }>('POST', `/v1/deliveries/${log!.id}/redeliver`);
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('conflict');
      expect(receiver.requests).toHaveLength(1);

      await h.db.knex('batches').where({ id: log!.deliveryId }).update({ locked_until: null });
      const resent = await h.api<{ delivered: boolean }>('POST', `/v1/deliveries/${log!.id}/redeliver`);
      expect(resent.body.delivered).toBe(true);
      expect(receiver.requests).toHaveLength(2);
      // The redelivered pending batch is now delivered, and unlocked.
      expect(await h.db.knex('batches').where({ id: log!.deliveryId }).first()).toMatchObject({
        status: 'success',
        locked_until: null,
      });
    });
  });

  describe('permanent failures fail at once', () => {
    beforeEach(async () => {
      h = await startHarness({
        settings: { queueMode: 'immediate', disableLimit: 1 },
        retryPolicy: { baseDelayMs: 100, maxDelayMs: 100, maxAttempts: 5 },
      });
      receiver = await startReceiver();
    });

    it('an invalid stored URL is tried once, logged with the reason, and does not count against the receiver', async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
      await h.db.knex('endpoints').where({ webhook_id: hook.id }).update({ url: 'http://[::1' });
      await postEvents(h, [{ type: 'form.submitted', payload: { n: 1 } }]);
      const batch = await waitUntil(async () =>
        ofWebhook(h.db.knex, 'batches', hook.id).where({ status: 'failed' }).first(),
      );
      expect(batch).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/^invalid URL/) });
      const after = await h.api<{ enabled: boolean; consecutiveFailures: number }>(
        'GET',
        `/v1/webhooks/${hook.id}`,
      );
      expect(after.body).toMatchObject({ enabled: true, consecutiveFailures: 0 });
      expect(h.logs.filter((l) => l.includes('delivery refused for good'))).toHaveLength(1);
    });
  });
});
