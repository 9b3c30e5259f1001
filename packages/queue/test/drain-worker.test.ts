import { leaseEndpoint } from '@hookline/db';
import { acceptEvents } from '@hookline/delivery';
import { createFairQueue, createRedis, turnsFor } from '@hookline/queue';
import {
  endpointOf,
  redisUrl,
  startHarness,
  startReceiver,
  type Harness,
  type Receiver,
} from '@hookline/testing';

/** A cron that never fires during a test run: the only drain job is the one the test adds. */
const NEVER = '0 0 1 1 *';

describe('drain worker', () => {
  let h: Harness;
  let receiver: Receiver;
  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it("a tick's drain that finds its webhook busy tries again each second, so the cut is not lost until the next tick", async () => {
    const hook = await h.api<{ id: string }>('POST', '/v1/webhooks', {
      name: 'w',
      url: receiver.url,
      events: ['page.hit'],
    });
    await acceptEvents(h.engine, [
      {
        appId: 'default',
        type: 'page.hit',
        payload: '{"n":1}',
        occurredAt: new Date(),
        idempotencyKey: null,
      },
    ]);
    // Another process holds the webhook for 2 s (a recovery drain, say).
    const endpointId = await endpointOf(h.db.knex, hook.body.id);
    expect(await leaseEndpoint(h.db.knex, endpointId, 'someone-else', 2000)).toBeDefined();
    await h.startWorker(NEVER);
    const redis = createRedis(redisUrl());
    try {
      await createFairQueue(redis, { prefix: h.prefix }).offer(
        turnsFor([{ endpointId, webhookId: hook.body.id, appId: 'default' }], true),
      ); // what the tick does
      // Delivered once the lease lapses, by the same turn offered again each second.
      const [req] = await receiver.waitFor(1, 20_000);
      expect(JSON.parse(req!.body)).toEqual({ 'page.hit': [expect.objectContaining({ n: 1 })] });
    } finally {
      redis.disconnect();
    }
  });
});
