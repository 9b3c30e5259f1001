import { insertBatches } from '@hookline/db';
import { createDeliveredGroup } from '@hookline/delivery';
import { endpointOf, startHarness, type Harness } from '@hookline/testing';

describe('createDeliveredGroup', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it('deliveries that finish together share statements, and each caller resolves once its own is recorded', async () => {
    const hook = await h.api<{ id: string }>('POST', '/v1/webhooks', {
      name: 'w',
      url: 'http://127.0.0.1:9/hook',
      events: ['page.hit'],
    });
    const endpointId = await endpointOf(h.db.knex, hook.body.id);
    const ids = await insertBatches(
      h.db.knex,
      Array.from({ length: 40 }, (_, n) => ({
        endpointId,
        mode: 'immediate' as const,
        body: `{"n":${n}}`,
        eventIds: [],
        eventCount: 1,
        lockMs: 60_000,
      })),
    );
    const record = createDeliveredGroup(h.db.knex);
    const log = (batchId: string) => ({
      endpointId,
      batchId,
      mode: 'immediate' as const,
      status: 'success' as const,
      statusCode: 200,
      durationMs: 1,
      attempt: 1,
      eventCount: 1,
      error: null,
      responseSnippet: null,
    });
    await Promise.all(
      ids.map(async (id) => {
        await record({ log: log(id), logMax: 1000 });
        // Resolved: this caller's batch is settled and logged.
        expect((await h.db.knex('batches').where({ id }).first()).status).toBe('success');
      }),
    );
    const rows = await h.db
      .knex('delivery_logs')
      .whereIn('batch_id', ids)
      .select('batch_id', h.db.knex.raw('xmin::text AS tx'));
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r: { tx: string }) => r.tx)).size).toBeLessThan(10);
  });
});
