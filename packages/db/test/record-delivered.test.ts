import { createTestDatabase, webhookRow, type TestDatabase } from '@hookline/testing';
import {
  createWebhook,
  endpointsOfWebhook,
  insertBatches,
  recordDelivered,
  type DeliveredBatch,
} from '../src/index.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

/** A webhook's one endpoint, which its batches, streak and log belong to. */
const webhook = async (name: string) => {
  const created = await createWebhook(
    db.knex,
    ...webhookRow({ name, url: 'http://127.0.0.1:9/hook', events: ['page.hit'] }),
  );
  return (await endpointsOfWebhook(db.knex, created.id))[0]!;
};

async function batches(endpointId: string, n: number): Promise<string[]> {
  return insertBatches(
    db.knex,
    Array.from({ length: n }, (_, i) => ({
      endpointId,
      mode: 'immediate' as const,
      body: `{"n":${i}}`,
      eventIds: [],
      eventCount: 1,
      lockMs: 60_000,
    })),
  );
}

const delivered = (endpointId: string, batchId: string, logMax: number | null): DeliveredBatch => ({
  log: {
    endpointId,
    batchId,
    mode: 'immediate',
    status: 'success',
    statusCode: 200,
    durationMs: 3,
    attempt: 1,
    eventCount: 1,
    error: null,
    responseSnippet: 'ok',
  },
  logMax,
});

const logIds = async (endpointId: string) =>
  (await db.knex('delivery_logs').where({ endpoint_id: endpointId }).orderBy('id')).map(
    (r: { batch_id: string }) => r.batch_id,
  );

describe('recordDelivered', () => {
  it('records a group of deliveries of several webhooks in one statement, and prunes each log to logMax', async () => {
    const a = await webhook('a');
    const b = await webhook('b');
    await db.knex('endpoints').where({ id: a.id }).update({ consecutive_failures: 3 });
    const older = await batches(a.id, 4);
    await recordDelivered(
      db.knex,
      older.map((id) => delivered(a.id, id, null)),
    );
    expect(await logIds(a.id)).toEqual(older);

    const newer = await batches(a.id, 2);
    const ofB = await batches(b.id, 2);
    await recordDelivered(db.knex, [
      delivered(a.id, newer[0]!, 3),
      delivered(b.id, ofB[0]!, 3),
      delivered(a.id, newer[1]!, 3),
      delivered(b.id, ofB[1]!, 3),
    ]);
    // The newest 3 of a's 6 rows; b's 2 rows, fewer than logMax, all kept.
    expect(await logIds(a.id)).toEqual([older[3], ...newer]);
    expect(await logIds(b.id)).toEqual(ofB);
    const settled = await db.knex('batches').whereIn('id', [...newer, ...ofB]);
    for (const row of settled)
      expect(row).toMatchObject({ status: 'success', attempts: 1, locked_until: null });
    expect((await db.knex('endpoints').where({ id: a.id }).first()).consecutive_failures).toBe(0);
  });

  it('a group of more deliveries than logMax keeps its own rows and drops every older one', async () => {
    const c = await webhook('c');
    const older = await batches(c.id, 2);
    await recordDelivered(
      db.knex,
      older.map((id) => delivered(c.id, id, null)),
    );
    const group = await batches(c.id, 3);
    await recordDelivered(
      db.knex,
      group.map((id) => delivered(c.id, id, 2)),
    );
    expect(await logIds(c.id)).toEqual(group);
  });

  it("stores the drain's next batch body and renews its lock alongside", async () => {
    const d = await webhook('d');
    const [sent, next] = await batches(d.id, 2);
    await db
      .knex('batches')
      .where({ id: next })
      .update({ body: '', locked_until: db.knex.raw("now() + interval '1 second'") });
    await recordDelivered(db.knex, [
      {
        ...delivered(d.id, sent!, null),
        prepared: { batchId: next!, body: '{"next":1}', lockMs: 3_600_000 },
      },
    ]);
    const row = await db
      .knex('batches')
      .where({ id: next })
      .select('body', 'status', db.knex.raw("locked_until > now() + interval '59 minutes' AS renewed"))
      .first();
    expect(row).toEqual({ body: '{"next":1}', status: 'pending', renewed: true });
  });
});
