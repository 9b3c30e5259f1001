import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, depth, postEvents } from '../support/fixtures.js';

const BUSY_WEBHOOKS = 200;
const BACKLOG_EACH = 100;
const QUIET_EVENTS = 50;
/** The worker's default; fewer than the busy webhooks, so without turns the quiet one waits. */
const SLOTS = 64;

describe('fair shares between webhooks, and between applications', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'queue', batchLimit: 1 } });
    // The quiet webhook's receiver takes 20 ms; the busy ones' 100 ms, so their backlog lasts
    // well beyond the quiet events on a machine of any speed.
    receiver = await startReceiver(
      (req) =>
        new Promise((r) => setTimeout(() => r({ status: 200 }), req.url.endsWith('/quiet') ? 20 : 100)),
    );
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  // The busy webhooks and the quiet one in one application (default), then in two: a
  // one-webhook application beside one with 200 busy webhooks.
  it.each([
    ['a quiet webhook', 'busy webhooks', undefined, undefined],
    ["a quiet application's webhook", "another application's busy webhooks", 'small', 'big'],
  ])(
    '%s gets all its events while 200 %s still hold a backlog',
    async (_q, _b, quietApp, busyApp) => {
      if (quietApp && busyApp) {
        await h.api('POST', '/v1/orgs', { id: 'tenants', name: 'Tenants' });
        for (const id of [quietApp, busyApp]) await h.api('POST', '/v1/orgs/tenants/apps', { id, name: id });
      }
      for (let i = 0; i < BUSY_WEBHOOKS; i++) {
        await createWebhook(
          h,
          { name: `busy ${i}`, url: `${receiver.url}/busy`, events: ['page.hit'] },
          busyApp,
        );
      }
      const quiet = await createWebhook(
        h,
        { name: 'quiet', url: `${receiver.url}/quiet`, events: ['form.submitted'] },
        quietApp,
      );
      await postEvents(
        h,
        Array.from({ length: BACKLOG_EACH }, (_, n) => ({ type: 'page.hit', payload: { n } })),
        busyApp,
      );
      const backlog = BUSY_WEBHOOKS * BACKLOG_EACH;
      expect(await depth(h)).toBe(backlog);

      await h.startWorker('*/1 * * * * *', { concurrency: SLOTS });
      // The busy webhooks are draining: every slot holds one of them.
      await waitUntil(() => receiver.requests.length >= SLOTS, 30_000);
      for (let n = 0; n < QUIET_EVENTS; n++) {
        await postEvents(h, [{ type: 'form.submitted', payload: { n } }], quietApp);
        await new Promise((r) => setTimeout(r, 100)); // the scenario: one quiet event every 100 ms
      }

      const quietDelivered = () => receiver.requests.filter((r) => r.url.endsWith('/quiet')).length;
      await waitUntil(() => quietDelivered() === QUIET_EVENTS, 120_000, 50);
      // Served in turns, not after the backlog: most of it still waits when the quiet one is done.
      const busyLeft = await depth(h);
      expect(busyLeft).toBeGreaterThan(backlog / 2);
      // Its last batch is recorded as delivered just after the receiver answers.
      await waitUntil(async () => (await depth(h, quiet.id)) === 0);
      // And in order, one batch at a time.
      const seqs = receiver.requests
        .filter((r) => r.url.endsWith('/quiet'))
        .map((r) => (JSON.parse(r.body) as { 'form.submitted': { n: number }[] })['form.submitted'][0]!.n);
      expect(seqs).toEqual(Array.from({ length: QUIET_EVENTS }, (_, n) => n));
    },
    180_000,
  );
});
