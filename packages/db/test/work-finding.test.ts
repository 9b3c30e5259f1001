import { createTestDatabase, webhookRow, type TestDatabase } from '@hookline/testing';
import {
  createWebhook,
  endpointsOfWebhook,
  endpointsWithDueRetries,
  endpointsWithDueWork,
  insertBatches,
  insertQueueRows,
  leaseEndpoint,
  queueDepthByWebhook,
  readStats,
  snapshotQueue,
} from '../src/index.js';

// What the worker's clock asks of Postgres. These statements must find exactly the endpoints with
// work while reading only those (issue 20: a million registered, a thousand with work).

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(() => db.destroy());

/** A webhook with one endpoint: its id and the endpoint's. */
const webhook = async (name: string, enabled = true) => {
  const created = await createWebhook(
    db.knex,
    ...webhookRow({ name, url: 'http://127.0.0.1:9/hook', events: ['page.hit'], enabled }),
  );
  return { id: created.id, endpointId: (await endpointsOfWebhook(db.knex, created.id))[0]!.id };
};

const pendingBatch = async (
  endpointId: string,
  state: { dueInMs: number; lockMs?: number; attempts?: number },
) => {
  const [id] = await insertBatches(db.knex, [
    { endpointId, mode: 'queue', body: '{}', eventIds: [], eventCount: 3, lockMs: state.lockMs },
  ]);
  await db.knex.raw(
    `UPDATE batches SET next_attempt_at = now() + make_interval(secs => ? / 1000.0), attempts = ? WHERE id = ?`,
    [state.dueInMs, state.attempts ?? 0, id!],
  );
};

describe('finding work', () => {
  it('the tick finds enabled, unleased endpoints with queued events or a due, unlocked pending batch', async () => {
    const queued = await webhook('queued');
    const queuedToo = await webhook('queued too');
    const due = await webhook('due retry');
    const notDue = await webhook('retry not due');
    const locked = await webhook('batch being sent');
    const disabled = await webhook('disabled', false);
    const leased = await webhook('leased');
    await webhook('idle');
    await insertQueueRows(db.knex, [
      ...[1, 2, 3].map((n) => ({ endpointId: queued.endpointId, eventId: String(n) })),
      { endpointId: queuedToo.endpointId, eventId: '4' },
      { endpointId: disabled.endpointId, eventId: '5' },
      { endpointId: leased.endpointId, eventId: '6' },
    ]);
    await pendingBatch(due.endpointId, { dueInMs: -1000, attempts: 1 });
    await pendingBatch(notDue.endpointId, { dueInMs: 60_000, attempts: 1 });
    await pendingBatch(locked.endpointId, { dueInMs: -1000, lockMs: 60_000 });
    expect(await leaseEndpoint(db.knex, leased.endpointId, 'someone', 60_000)).toBeDefined();

    const ids = (work: { endpointId: string }[]) => work.map((w) => w.endpointId);
    expect(ids(await endpointsWithDueWork(db.knex))).toEqual(
      [queued.endpointId, queuedToo.endpointId, due.endpointId].sort(),
    );
    expect(await endpointsWithDueRetries(db.knex)).toEqual([
      { endpointId: due.endpointId, webhookId: due.id, appId: 'default' },
    ]);
  });

  it('finds nothing in an empty queue', async () => {
    await webhook('idle');
    expect(await endpointsWithDueWork(db.knex)).toEqual([]);
  });
});

describe('the per-minute queue snapshot', () => {
  it('writes rows only for webhooks with something waiting, and the others read as 0 for that minute', async () => {
    const busy = await webhook('busy');
    const idle = await webhook('idle');
    await insertQueueRows(
      db.knex,
      [1, 2].map((n) => ({ endpointId: busy.endpointId, eventId: String(n) })),
    );
    await pendingBatch(busy.endpointId, { dueInMs: 60_000, attempts: 2 });
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await snapshotQueue(db.knex, minute);

    const rows = await db.knex('delivery_stats').where({ minute });
    expect(rows.map((r: { webhook_id: string }) => r.webhook_id)).toEqual([busy.id]);
    const to = new Date(minute.getTime() + 60_000);
    expect(await readStats(db.knex, [busy.id], minute, to)).toMatchObject([
      { queueDepth: 5, retryBacklog: 1 },
    ]);
    expect(await readStats(db.knex, [idle.id], minute, to)).toMatchObject([
      { minute, success: 0, failed: 0, queueDepth: 0, retryBacklog: 0 },
    ]);
    // A minute without a snapshot has no queue figures at all.
    const before = new Date(minute.getTime() - 60_000);
    expect(await readStats(db.knex, [idle.id], before, minute)).toEqual([]);
    expect(await queueDepthByWebhook(db.knex)).toEqual(new Map([[busy.id, 5]]));
  });
});
