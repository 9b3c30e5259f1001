import {
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  ofWebhook,
} from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';
import { createWebhook, depth, postEvents } from '../support/fixtures.js';

const TYPES = ['form.submitted', 'contact.updated', 'email.opened'];

const BASE = Date.parse('2026-03-01T10:00:00.000Z');

/** 25 events of 3 types, with increasing timestamps and a sequence number in the payload. */
function twentyFiveEvents() {
  return Array.from({ length: 25 }, (_, seq) => ({
    type: TYPES[seq % 3],
    timestamp: new Date(BASE + seq * 1000).toISOString(),
    payload: { seq, contact: { email: `c${seq}@example.com` }, z: seq },
  }));
}

/** The same event as raw JSON text, with an integer-like key where JSON.stringify could not put it. */
function rawEvent(seq: number): string {
  const ts = new Date(BASE + seq * 1000).toISOString();
  return `{"type":"${TYPES[seq % 3]}","timestamp":"${ts}","payload":{"seq":${seq}, "contact":{"email":"c${seq}@example.com"},"10":"after seq","z":${seq}}}`;
}

type Batch = Record<string, { seq: number; timestamp: string }[]>;

function flatten(batch: Batch): number[] {
  return Object.values(batch).flatMap((list) => list.map((e) => e.seq));
}

describe('queue mode', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'queue', batchLimit: 10 } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it('delivers 25 events of 3 types as 10/10/5, grouped by type, oldest first, signed over the raw body', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: TYPES });
    for (let seq = 0; seq < 25; seq++) {
      const res = await h.api('POST', '/v1/events', undefined, { raw: rawEvent(seq) });
      expect(res.status).toBe(202);
    }
    expect(receiver.requests).toHaveLength(0); // queued, not sent: nothing goes out before the worker runs

    await h.startWorker();
    const requests = await receiver.waitFor(3);
    // Drained and recorded: exactly three batches were ever made, so no fourth request can follow.
    await waitUntil(async () => (await depth(h, hook.id)) === 0);
    expect(await ofWebhook(h.db.knex, 'batches', hook.id)).toHaveLength(3);
    expect(receiver.requests).toHaveLength(3);

    const batches = requests.map((r) => JSON.parse(r.body) as Batch);
    expect(batches.map((b) => flatten(b).length)).toEqual([10, 10, 5]);
    // Oldest first across the batches; inside a batch, events are grouped by type in order.
    expect(batches.flatMap((b) => flatten(b).sort((x, y) => x - y))).toEqual([...Array(25).keys()]);
    for (const b of batches) {
      for (const [type, list] of Object.entries(b)) {
        expect(TYPES).toContain(type);
        const seqs = list.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        for (const e of list) expect(TYPES[e.seq % 3]).toBe(type);
      }
    }
    expect(Object.keys(batches[0]!)).toEqual(TYPES);
    // Each element is {...payload, timestamp}; the producer's key order is kept byte for byte.
    expect(requests[0]!.body).toContain(
      '{"seq":0,"contact":{"email":"c0@example.com"},"10":"after seq","z":0,"timestamp":"2026-03-01T10:00:00.000Z"}',
    );

    for (const r of requests) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['webhook-signature']).toBe(independentHmacSha256Base64(hook.secret, r.raw));
      expect(r.headers['x-origin-base-url']).toBe('http://hookline.test');
      expect(r.headers['x-hookline-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['user-agent']).toBe('Hookline/test');
    }
    expect(new Set(requests.map((r) => r.headers['x-hookline-delivery'])).size).toBe(3);

    const logs = await h.api<{ status: string; eventCount: number; statusCode: number; mode: string }[]>(
      'GET',
      `/v1/webhooks/${hook.id}/deliveries`,
    );
    expect(logs.body.map((l) => [l.status, l.eventCount, l.statusCode, l.mode])).toEqual([
      ['success', 5, 200, 'queue'],
      ['success', 10, 200, 'queue'],
      ['success', 10, 200, 'queue'],
    ]);
    expect(await depth(h)).toBe(0);
  });

  it('with order reverse, takes and lists the newest events first', async () => {
    await h.api('PATCH', '/v1/settings', { order: 'reverse' });
    await createWebhook(h, { url: receiver.url, events: TYPES });
    await postEvents(h, twentyFiveEvents());

    await h.startWorker();
    const requests = await receiver.waitFor(3);
    const batches = requests.map((r) => JSON.parse(r.body) as Batch);
    expect(batches.map((b) => flatten(b).sort((x, y) => y - x))).toEqual([
      [24, 23, 22, 21, 20, 19, 18, 17, 16, 15],
      [14, 13, 12, 11, 10, 9, 8, 7, 6, 5],
      [4, 3, 2, 1, 0],
    ]);
    for (const b of batches) {
      for (const list of Object.values(b)) {
        const seqs = list.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
      }
    }
  });

  it("a webhook's own order overrides the setting", async () => {
    await createWebhook(h, { url: receiver.url, events: TYPES, order: 'reverse' });
    await postEvents(h, twentyFiveEvents().slice(0, 5));
    await h.startWorker();
    const [req] = await receiver.waitFor(1);
    const seqs = Object.values(JSON.parse(req!.body) as Batch).flatMap((l) => l.map((e) => e.seq));
    expect(seqs.sort((x, y) => y - x)[0]).toBe(4);
    expect((JSON.parse(req!.body) as Batch)['contact.updated']!.map((e) => e.seq)).toEqual([4, 1]);
  });

  it('when the receiver answers 500, the same batch stays queued and is retried until it answers 200', async () => {
    receiver.respondWith((_req, i) => (i < 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }));
    const hook = await createWebhook(h, { url: receiver.url, events: TYPES });
    await postEvents(h, twentyFiveEvents().slice(0, 4));

    await h.startWorker();
    await receiver.waitFor(1);
    expect(await depth(h, hook.id)).toBe(4);

    const requests = await receiver.waitFor(3, 15_000);
    expect(requests.map((r) => r.headers['x-hookline-delivery'])).toEqual(
      Array(3).fill(requests[0]!.headers['x-hookline-delivery']),
    );
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(flatten(JSON.parse(requests[2]!.body) as Batch).sort()).toEqual([0, 1, 2, 3]);

    type Log = { status: string; statusCode: number; attempt: number; responseSnippet: string };
    const logs = await waitUntil(async () => {
      const res = await h.api<Log[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
      return res.body.length === 3 ? res : undefined;
    });
    expect(logs.body.map((l) => [l.status, l.statusCode, l.attempt])).toEqual([
      ['success', 200, 3],
      ['failed', 500, 2],
      ['failed', 500, 1],
    ]);
    expect(logs.body[2]!.responseSnippet).toBe('boom');
    expect(await depth(h, hook.id)).toBe(0);
  });
});
