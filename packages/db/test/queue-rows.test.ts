import { createTestDatabase, webhookRow, type TestDatabase } from '@hookline/testing';
import {
  createWebhook,
  deleteWebhook,
  dropQueuedBefore,
  endpointsOfWebhook,
  insertBatches,
  insertQueueRows,
  setWebhookUrls,
  subscribedEndpoints,
} from '../src/index.js';

// Queue rows carry no foreign key (one check per row was most of their cost at ingest): these are
// the guarantees it gave, kept by a delete trigger and ingest's share of each application's lock (migration 12).

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

/** A webhook with one endpoint: its id and the endpoint's. */
const webhook = async (name: string) => {
  const created = await createWebhook(
    db.knex,
    ...webhookRow({ name, url: 'http://127.0.0.1:9/hook', events: ['page.hit'] }),
  );
  return { id: created.id, endpointId: (await endpoints(created.id))[0]!.id };
};

const endpoints = (webhookId: string) => endpointsOfWebhook(db.knex, webhookId);

const queued = async (endpointId: string) =>
  Number(
    (
      await db.knex('endpoint_queue').where({ endpoint_id: endpointId }).count<{ n: string }[]>({ n: '*' })
    )[0]!.n,
  );

const queue = (endpointId: string, n: number, from = 1) =>
  insertQueueRows(
    db.knex,
    Array.from({ length: n }, (_, i) => ({ endpointId, eventId: String(from + i) })),
  );

describe('queue rows', () => {
  it("go with their webhook when it is deleted, every endpoint's included", async () => {
    const hook = await webhook('deleted');
    await setWebhookUrls(db.knex, hook.id, ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b']);
    const rows = await endpoints(hook.id);
    expect(rows).toHaveLength(2);
    for (const row of rows) await queue(row.id, 3);
    const kept = await webhook('kept');
    await queue(kept.endpointId, 2);

    expect(await deleteWebhook(db.knex, hook.id)).toEqual({ deleted: true, droppedEvents: 6 });
    for (const row of rows) expect(await queued(row.id)).toBe(0);
    expect(await queued(kept.endpointId)).toBe(2);
  });

  it('written by an ingest transaction, are not left behind by a delete that runs meanwhile', async () => {
    const hook = await webhook('raced');
    const trx = await db.knex.transaction();
    const [read] = await subscribedEndpoints(trx, new Map([['default', ['page.hit']]])).then((ts) =>
      ts
        .get('default')!
        .get('page.hit')!
        .filter((t) => t.webhook.id === hook.id),
    );
    expect(read?.webhook.id).toBe(hook.id);
    // The delete must wait for the ingest transaction's share of the application's lock.
    let deleteSettled = false;
    const deleting = deleteWebhook(db.knex, hook.id).finally(() => (deleteSettled = true));
    await waitForLockWait();
    expect(deleteSettled).toBe(false);
    await insertQueueRows(trx, [{ endpointId: hook.endpointId, eventId: '1' }]);
    await trx.commit();

    expect((await deleting).deleted).toBe(true);
    expect(await queued(hook.endpointId)).toBe(0);
  });

  it('written by an ingest transaction, are not left behind by a URL removal that runs meanwhile', async () => {
    const hook = await webhook('shrunk');
    await setWebhookUrls(db.knex, hook.id, ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b']);
    const removed = (await endpoints(hook.id))[1]!;
    const trx = await db.knex.transaction();
    const read = await subscribedEndpoints(trx, new Map([['default', ['page.hit']]])).then((ts) =>
      ts
        .get('default')!
        .get('page.hit')!
        .filter((t) => t.endpoint.id === removed.id),
    );
    expect(read).toHaveLength(1);
    let removalSettled = false;
    const removing = setWebhookUrls(db.knex, hook.id, ['http://127.0.0.1:9/a']).finally(
      () => (removalSettled = true),
    );
    await waitForLockWait();
    expect(removalSettled).toBe(false);
    await insertQueueRows(trx, [{ endpointId: removed.id, eventId: '1' }]);
    await trx.commit();

    await removing;
    expect(await endpoints(hook.id)).toHaveLength(1);
    expect(await queued(removed.id)).toBe(0);
  });

  it('an immediate batch written meanwhile does not deadlock a URL removal', async () => {
    const hook = await webhook('immediate');
    await setWebhookUrls(db.knex, hook.id, ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b']);
    const removed = (await endpoints(hook.id))[1]!;
    const trx = await db.knex.transaction();
    await subscribedEndpoints(trx, new Map([['default', ['page.hit']]]));
    const removing = setWebhookUrls(db.knex, hook.id, ['http://127.0.0.1:9/a']);
    await waitForLockWait();
    // Its foreign key check locks the endpoint row: the removal must not be holding it yet.
    await insertBatches(trx, [
      { endpointId: removed.id, mode: 'immediate', body: '{}', eventIds: ['1'], eventCount: 1 },
    ]);
    await trx.commit();

    await removing;
    expect(await endpoints(hook.id)).toHaveLength(1);
    expect(
      Number((await db.knex('batches').where({ endpoint_id: removed.id }).count({ n: '*' }))[0]!.n),
    ).toBe(0);
  });

  it("retention drops each webhook's expired prefix, across webhooks, and keeps newer rows", async () => {
    const a = await webhook('old-a');
    const b = await webhook('old-b');
    await queue(a.endpointId, 5);
    await queue(b.endpointId, 3);
    await db
      .knex('endpoint_queue')
      .whereIn('endpoint_id', [a.endpointId, b.endpointId])
      .update({
        created_at: db.knex.raw("now() - interval '2 days'"),
      });
    await queue(a.endpointId, 2, 100); // newer than the cutoff
    const cutoff = new Date(Date.now() - 86_400_000);

    let deleted = 0;
    for (let calls = 0; ; calls++) {
      expect(calls).toBeLessThan(10);
      const chunk = await dropQueuedBefore(db.knex, cutoff, 2);
      expect(chunk.deleted).toBeLessThanOrEqual(2);
      deleted += chunk.deleted;
      if (!chunk.more) break;
    }
    expect(deleted).toBe(8);
    expect(await queued(a.endpointId)).toBe(2);
    expect(await queued(b.endpointId)).toBe(0);
  });
});

/** Until some backend of this database waits for a lock. */
async function waitForLockWait(): Promise<void> {
  for (;;) {
    const res = await db.knex.raw<{ rows: { n: string }[] }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (Number(res.rows[0]!.n) > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
