import {
  endpointsOf,
  endpointsWithDueWork,
  listDeliveryLogs,
  migrateDownOne,
  migrateLatest,
  queueDepth,
  readStats,
  recoverFailedBatches,
  setWebhookEnabled,
} from '@hookline/db';
import { drainEndpoint, startEngine } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import {
  createTestDatabase,
  startReceiver,
  type Receiver,
  type ReceivedRequest,
  type TestDatabase,
} from '@hookline/testing';

// Migration 10 (endpoints) on real rows of the schema before it: a webhook with two URLs (a
// second webhook row, `primary_id`), each with a pending batch and queued events, a failed batch,
// delivery logs and stats, and a disabled webhook with a backlog. After the migration every event
// reaches every URL, in order, and nothing else is lost.

const W = '00000000-0000-4000-8000-00000000000a'; // the webhook, and its first URL's row
const W2 = '00000000-0000-4000-8000-00000000000b'; // the row of its second URL
const V = '00000000-0000-4000-8000-00000000000c'; // a disabled webhook with a backlog

let db: TestDatabase;
let a: Receiver;
let b: Receiver;
let c: Receiver;

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b, c] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  // Back to the schema before migration 10 (the later ones first), then forward to the latest.
  const undone: string[] = [];
  while (!undone.includes('20261205000010_endpoints')) {
    const reverted = await migrateDownOne(db.knex);
    expect(reverted).toHaveLength(1);
    undone.unshift(...reverted);
  }
  await writeRowsOfTheSchemaBefore();
  expect(await migrateLatest(db.knex)).toEqual(undone);
});
afterAll(async () => {
  await db.destroy();
  await Promise.all([a.close(), b.close(), c.close()]);
});

async function writeRowsOfTheSchemaBefore(): Promise<void> {
  const k = db.knex;
  const hook = { events: '{page.hit}', secret: 'secret-0123456789abcdef' };
  await k('webhooks').insert([
    { id: W, name: 'two urls', url: a.url, ...hook },
    { id: W2, name: 'two urls', url: b.url, primary_id: W, url_index: 1, ...hook },
    {
      id: V,
      name: 'disabled',
      url: c.url,
      enabled: false,
      consecutive_failures: 100,
      disabled_reason: 'receiver answered 410 Gone',
      disabled_at: new Date(),
      ...hook,
    },
  ]);
  const at = new Date('2026-12-01T10:00:00Z');
  await k('events').insert(
    [0, 1, 2, 3, 4, 5].map((n) => ({ id: n + 1, type: 'page.hit', payload: `{"n":${n}}`, occurred_at: at })),
  );
  // Event 1 (n 0) failed for good at the second URL; the others wait. The first URL has events
  // 2–3 in a pending batch and 4–6 queued; the second, 2–4 in a pending batch and 5–6 queued.
  await k('batches').insert([
    {
      webhook_id: W2,
      mode: 'queue',
      status: 'failed',
      body: '',
      event_count: 1,
      event_ids: [1],
      attempts: 15,
    },
    {
      webhook_id: W,
      mode: 'queue',
      status: 'success',
      body: '{}',
      event_count: 1,
      event_ids: [1],
      attempts: 1,
    },
    { webhook_id: W, mode: 'queue', body: '', event_count: 2, event_ids: [2, 3], attempts: 1 },
    { webhook_id: W2, mode: 'queue', body: '', event_count: 3, event_ids: [2, 3, 4], attempts: 2 },
  ]);
  await k('webhook_queue').insert([
    ...[4, 5, 6].map((event_id) => ({ webhook_id: W, event_id })),
    ...[5, 6].map((event_id) => ({ webhook_id: W2, event_id })),
    ...[1, 2, 3].map((event_id) => ({ webhook_id: V, event_id })),
  ]);
  const log = { mode: 'queue', duration_ms: 5, attempt: 1, event_count: 1 };
  await k('delivery_logs').insert([
    { webhook_id: W, status: 'success', status_code: 200, ...log },
    { webhook_id: W2, status: 'failed', status_code: 500, error: 'HTTP 500', ...log },
  ]);
  await k('delivery_stats').insert({ webhook_id: W, minute: at, success: 1, failed: 0, latency: [1] });
}

const numbers = (requests: readonly ReceivedRequest[]) =>
  requests.flatMap((r) =>
    (JSON.parse(r.body) as { 'page.hit': { n: number }[] })['page.hit'].map((e) => e.n),
  );

describe('migration 10: a webhook of copied rows becomes a webhook with endpoints', () => {
  it('keeps one webhook per webhook, an endpoint per URL in order, and each endpoint its state', async () => {
    expect((await db.knex('webhooks').orderBy('id').pluck('id')) as string[]).toEqual([W, V]);
    const endpoints = await endpointsOf(db.knex, [W, V]);
    expect(endpoints.get(W)!.map((e) => [e.id, e.position, e.url, e.enabled])).toEqual([
      [W, 0, a.url, true],
      [W2, 1, b.url, true],
    ]);
    expect(endpoints.get(V)).toMatchObject([
      { url: c.url, enabled: false, consecutiveFailures: 100, disabledReason: 'receiver answered 410 Gone' },
    ]);
  });

  it("keeps the delivery logs, each row naming its URL, and the webhook's stats", async () => {
    const logs = await listDeliveryLogs(db.knex, W, { limit: 10 });
    expect(logs.map((l) => [l.status, l.endpointUrl])).toEqual([
      ['failed', b.url],
      ['success', a.url],
    ]);
    const stats = await readStats(
      db.knex,
      [W],
      new Date('2026-12-01T10:00:00Z'),
      new Date('2026-12-01T10:01:00Z'),
    );
    expect(stats).toMatchObject([{ success: 1, failed: 0 }]);
  });

  it('delivers every waiting event to every URL, in order, then the recovered failure and the backlog', async () => {
    const engine = await startEngine({
      knex: db.knex,
      logger: createLogger({ service: 'test', level: 'error' }),
      allowPrivateUrls: true,
      publicUrl: 'http://hookline.test',
      userAgent: 'Hookline/test',
    });
    try {
      expect(await queueDepth(db.knex, W)).toBe(10);
      expect(await queueDepth(db.knex, V)).toBe(3);
      for (const { endpointId } of await endpointsWithDueWork(db.knex))
        await drainEndpoint(engine, endpointId);
      expect(numbers(a.requests)).toEqual([1, 2, 3, 4, 5]);
      expect(numbers(b.requests)).toEqual([1, 2, 3, 4, 5]);
      expect(c.requests).toHaveLength(0);

      // The failed batch is still the second URL's, and resent there on recovery.
      expect(await recoverFailedBatches(db.knex, [W2], new Date(0))).toBe(1);
      await drainEndpoint(engine, W2, { cut: false });
      expect(numbers(b.requests)).toEqual([1, 2, 3, 4, 5, 0]);

      // The disabled webhook's backlog is delivered, in order, once it is enabled.
      await setWebhookEnabled(db.knex, V, true);
      for (const { endpointId } of await endpointsWithDueWork(db.knex))
        await drainEndpoint(engine, endpointId);
      expect(numbers(c.requests)).toEqual([0, 1, 2]);
      expect(await queueDepth(db.knex)).toBe(0);
    } finally {
      await engine.flushStats();
      engine.stop();
    }
  });
});
