import { createTestDatabase, type TestDatabase } from '@hookline/testing';
import { getSettings, insertEvents, updateSettings } from '../src/index.js';
import { DEFAULT_SETTINGS } from '@hookline/core';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

const at = new Date('2026-01-01T00:00:00Z');

describe('insertEvents', () => {
  it('returns ids in input order and stores the payload text byte for byte', async () => {
    const out = await insertEvents(db.knex, [
      { appId: 'default', type: 'a', payload: '{"2":1,"1":2}', occurredAt: at, idempotencyKey: null },
      { appId: 'default', type: 'b', payload: '{"z":0}', occurredAt: at, idempotencyKey: null },
    ]);
    expect(out.map((o) => o.duplicate)).toEqual([false, false]);
    const rows = await db
      .knex('events')
      .whereIn(
        'id',
        out.map((o) => o.id),
      )
      .orderBy('id');
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['a', 'b']);
    expect(rows[0].payload).toBe('{"2":1,"1":2}');
  });

  it('stores escapes, non-ASCII text and many payloads unchanged and each beside its own id', async () => {
    const payloads = [
      String.raw`{"q":"say \"hi\"","b":"\\","u":"\u0000\ud83d\ude00","t":"tab\there"}`,
      '{"raw":"é ü 😀 中文","nl":"a\\nb"}',
      ...Array.from({ length: 200 }, (_, i) => `{"i":${i}}`),
    ];
    const out = await insertEvents(
      db.knex,
      payloads.map((payload) => ({
        appId: 'default',
        type: 'a',
        payload,
        occurredAt: at,
        idempotencyKey: null,
      })),
    );
    const rows = await db.knex('events').whereIn(
      'id',
      out.map((o) => o.id),
    );
    const byId = new Map(rows.map((r: { id: string; payload: string }) => [String(r.id), r.payload]));
    expect(out.map((o) => byId.get(o.id))).toEqual(payloads);
    // Ids grow in input order: a webhook's queue is delivered in id order.
    const ids = out.map((o) => BigInt(o.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
  });

  it('accepts a repeated idempotency key as a duplicate of the first event, within and across calls', async () => {
    const before = await countEvents();
    const first = await insertEvents(db.knex, [
      { appId: 'default', type: 'a', payload: '{}', occurredAt: at, idempotencyKey: 'k1' },
      { appId: 'default', type: 'a', payload: '{}', occurredAt: at, idempotencyKey: 'k1' },
    ]);
    expect(first[0]!.duplicate).toBe(false);
    expect(first[1]).toEqual({ id: first[0]!.id, duplicate: true });
    const again = await insertEvents(db.knex, [
      { appId: 'default', type: 'a', payload: '{}', occurredAt: at, idempotencyKey: 'k1' },
    ]);
    expect(again).toEqual([{ id: first[0]!.id, duplicate: true }]);
    expect(await countEvents()).toBe(before + 1);
  });
});

describe('settings', () => {
  it('starts at the defaults and merges patches', async () => {
    expect(await getSettings(db.knex)).toEqual(DEFAULT_SETTINGS);
    const updated = await updateSettings(db.knex, { queueMode: 'queue', batchLimit: 25 });
    expect(updated).toEqual({ ...DEFAULT_SETTINGS, queueMode: 'queue', batchLimit: 25 });
    expect(await updateSettings(db.knex, { order: 'reverse' })).toEqual({ ...updated, order: 'reverse' });
  });
});

async function countEvents(): Promise<number> {
  const row = await db.knex('events').count<{ count: string }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}
