import { createGroupCommit } from '@hookline/delivery';
import { startHarness, startReceiver, type Harness, type Receiver } from '@hookline/testing';

describe('group commit', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
    await h.api('POST', '/v1/webhooks', { name: 'w', url: receiver.url, events: ['page.hit', 'sms.sent'] });
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  const event = (n: number, key: string | null = null) => ({
    appId: 'default',
    type: n % 2 ? 'page.hit' : 'sms.sent',
    payload: `{"n":${n}}`,
    occurredAt: new Date(),
    idempotencyKey: key,
  });

  it('concurrent callers share transactions, and each gets back exactly its own events', async () => {
    const sink = createGroupCommit(h.engine, { concurrency: 2 });
    const calls = Array.from({ length: 60 }, (_, n) => sink.accept([event(n), event(n + 1000)]));
    const outcomes = await Promise.all(calls);
    outcomes.forEach((o, n) => {
      expect(o.events.map((e) => e.type)).toEqual([
        n % 2 ? 'page.hit' : 'sms.sent',
        (n + 1000) % 2 ? 'page.hit' : 'sms.sent',
      ]);
    });
    const ids = outcomes.flatMap((o) => o.events.map((e) => e.id));
    expect(new Set(ids).size).toBe(120);
    const rows = await h.db
      .knex('events')
      .whereIn('id', ids)
      .select('id', 'payload', h.db.knex.raw('xmin::text AS tx'));
    const byId = new Map(rows.map((r: { id: string; payload: string }) => [String(r.id), r.payload]));
    outcomes.forEach((o, n) => expect(byId.get(o.events[0]!.id)).toBe(`{"n":${n}}`));
    const transactions = new Set(rows.map((r: { tx: string }) => r.tx)).size;
    expect(transactions).toBeLessThan(20); // 60 callers, far fewer commits
    expect(await h.db.knex('endpoint_queue').whereIn('event_id', ids)).toHaveLength(120);
  });

  it('a repeated idempotency key across callers in one group is a duplicate for the later one', async () => {
    const sink = createGroupCommit(h.engine);
    const [a, b] = await Promise.all([
      sink.accept([event(1, 'same-key')]),
      sink.accept([event(1, 'same-key')]),
    ]);
    expect(a.events[0]!.duplicate).toBe(false);
    expect(b.events[0]).toEqual({ ...a.events[0], duplicate: true });
  });

  it('splits immediate-mode batches back to the caller whose event they carry', async () => {
    await h.api('PATCH', '/v1/settings', { queueMode: 'immediate' });
    await h.engine.settings.refresh();
    const sink = createGroupCommit(h.engine);
    const [a, b] = await Promise.all([sink.accept([event(1), event(3)]), sink.accept([event(5)])]);
    expect(a.immediate.map((x) => x.eventIndex)).toEqual([0, 1]);
    expect(b.immediate.map((x) => x.eventIndex)).toEqual([0]);
    expect(b.immediate[0]!.body).toContain('"n":5');
    await h.api('PATCH', '/v1/settings', { queueMode: 'queue' });
  });
});
