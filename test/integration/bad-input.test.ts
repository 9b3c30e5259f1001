import {
  startHarness,
  startReceiver,
  TEST_ADMIN_KEY,
  waitUntil,
  type Harness,
  type Receiver,
} from '@hookline/testing';
import { createWebhook, depth } from '../support/fixtures.js';

describe('bad input is refused with the documented error and changes nothing', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
    await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  async function nothingStored(): Promise<void> {
    expect(await h.db.knex('events').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '0' }]);
    expect(await depth(h)).toBe(0);
    expect(await h.db.knex('batches').count<{ count: string }[]>({ count: '*' })).toEqual([{ count: '0' }]);
    expect(receiver.requests).toHaveLength(0);
  }

  type ErrorBody = { error: { code: string; message: string; details?: unknown } };

  /** An object `levels` deep, the outermost counted as level 1. */
  const nested = (levels: number): Record<string, unknown> => {
    let value: Record<string, unknown> = {};
    for (let i = 1; i < levels; i++) value = { a: value };
    return value;
  };

  const cases: [string, () => Promise<{ status: number; body: unknown }>, number, string][] = [
    [
      'malformed JSON',
      () => h.api('POST', '/v1/events', undefined, { raw: '{"type": "form.submitted", ' }),
      400,
      'malformed_json',
    ],
    [
      'wrong content type',
      () =>
        h.api('POST', '/v1/events', undefined, {
          raw: '{"type":"form.submitted","payload":{}}',
          headers: { 'content-type': 'text/plain' },
        }),
      415,
      'unsupported_media_type',
    ],
    [
      'unknown event type',
      () => h.api('POST', '/v1/events', { type: 'form.exploded', payload: {} }),
      422,
      'unknown_event_type',
    ],
    [
      'one unknown type in a batch',
      () =>
        h.api('POST', '/v1/events', {
          events: [
            { type: 'form.submitted', payload: {} },
            { type: 'nope', payload: {} },
          ],
        }),
      422,
      'unknown_event_type',
    ],
    [
      'missing auth',
      () => h.api('POST', '/v1/events', { type: 'form.submitted', payload: {} }, { key: null }),
      401,
      'unauthorized',
    ],
    [
      'unknown key',
      () => h.api('POST', '/v1/events', { type: 'form.submitted', payload: {} }, { key: 'nope' }),
      401,
      'unauthorized',
    ],
    [
      'body over 1 MiB',
      () =>
        h.api('POST', '/v1/events', { type: 'form.submitted', payload: { big: 'x'.repeat(1024 * 1024) } }),
      413,
      'payload_too_large',
    ],
    [
      'payload not an object',
      () => h.api('POST', '/v1/events', { type: 'form.submitted', payload: [1] }),
      400,
      'invalid_body',
    ],
    ['missing payload', () => h.api('POST', '/v1/events', { type: 'form.submitted' }), 400, 'invalid_body'],
    [
      'bad timestamp',
      () => h.api('POST', '/v1/events', { type: 'form.submitted', payload: {}, timestamp: 'yesterday' }),
      400,
      'invalid_body',
    ],
    ['empty batch', () => h.api('POST', '/v1/events', { events: [] }), 400, 'invalid_body'],
    [
      'batch over 1000',
      () =>
        h.api('POST', '/v1/events', { events: Array(1001).fill({ type: 'form.submitted', payload: {} }) }),
      400,
      'invalid_body',
    ],
    ['a JSON array', () => h.api('POST', '/v1/events', [1, 2]), 400, 'invalid_body'],
    [
      'a payload nested 65 levels deep (HOOKLINE_MAX_DEPTH 64)',
      () => h.api('POST', '/v1/events', { type: 'form.submitted', payload: nested(65) }),
      400,
      'payload_too_complex',
    ],
    [
      'a 2,000-level payload inside a batch of good events',
      () =>
        h.api('POST', '/v1/events', {
          events: [
            { type: 'form.submitted', payload: { ok: true } },
            { type: 'form.submitted', payload: nested(2000) },
          ],
        }),
      400,
      'payload_too_complex',
    ],
    [
      'a payload object with 10,001 keys (HOOKLINE_MAX_KEYS 10000)',
      () =>
        h.api('POST', '/v1/events', {
          type: 'form.submitted',
          payload: { wide: Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, i])) },
        }),
      400,
      'payload_too_complex',
    ],
    [
      'invalid UTF-8',
      async () => {
        const bytes = Buffer.concat([
          Buffer.from('{"type":"form.submitted","payload":{"a":"'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}}'),
        ]);
        const res = await fetch(`${h.baseUrl}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
          body: bytes,
        });
        return { status: res.status, body: await res.json() };
      },
      400,
      'malformed_json',
    ],
  ];

  it.each(cases)('%s', async (_name, send, status, code) => {
    const res = (await send()) as { status: number; body: ErrorBody };
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    await nothingStored();
  });

  it('accepts a payload exactly 64 levels deep with 10,000 keys in one object', async () => {
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
    const deep = nested(64);
    const res = await h.api<ErrorBody>('POST', '/v1/events', {
      events: [
        { type: 'form.submitted', payload: deep, id: 'limits-deep' },
        { type: 'form.submitted', payload: wide, id: 'limits-wide' },
      ],
    });
    expect(res.status).toBe(202);
    // Both delivered and recorded, then removed so the other cases can check nothing is stored.
    await waitUntil(async () => (await h.db.knex('batches').where({ status: 'success' })).length === 2);
    await h.db.knex('events').whereIn('idempotency_key', ['limits-deep', 'limits-wide']).delete();
    await h.db.knex('batches').delete();
    receiver.requests.length = 0;
  });

  it('names the limit and the event in a payload_too_complex error', async () => {
    const res = await h.api<ErrorBody>('POST', '/v1/events', {
      events: [
        { type: 'form.submitted', payload: {} },
        { type: 'form.submitted', payload: nested(65) },
      ],
    });
    expect(res.body.error.message).toMatch(
      /^Event 1: the payload nests deeper than 64 levels \(HOOKLINE_MAX_DEPTH=64/,
    );
    expect(res.body.error.details).toEqual([{ index: 1, message: 'payload nests deeper than 64 levels' }]);
    await nothingStored();
  });

  it('lists at most 20 problems for a batch full of bad events', async () => {
    const res = await h.api<ErrorBody>('POST', '/v1/events', { events: Array(500).fill({ payload: {} }) });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveLength(20);
    expect(res.body.error.message).toBe(
      'events.0.type: Invalid input: expected string, received undefined (and 499 more)',
    );
    await nothingStored();
  });

  it('refuses invalid webhooks with 400/422 and stores none', async () => {
    const before = (await h.api<unknown[]>('GET', '/v1/webhooks')).body.length;
    const bad: [Record<string, unknown>, number, string][] = [
      [{ name: 'x', url: 'not a url', events: ['form.submitted'] }, 422, 'invalid_url'],
      [{ name: 'x', url: 'ftp://example.com/', events: ['form.submitted'] }, 422, 'invalid_url'],
      [{ name: 'x', url: receiver.url, events: ['form.nope'] }, 422, 'unknown_event_type'],
      [{ name: 'x', url: receiver.url, events: [] }, 400, 'invalid_body'],
      [{ name: 'x', url: receiver.url, events: ['form.submitted'], secret: 'short' }, 400, 'invalid_body'],
      [{ name: 'x', url: receiver.url, events: ['form.submitted'], colour: 'red' }, 400, 'invalid_body'],
    ];
    for (const [body, status, code] of bad) {
      const res = await h.api<ErrorBody>('POST', '/v1/webhooks', body);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    }
    expect((await h.api<unknown[]>('GET', '/v1/webhooks')).body).toHaveLength(before);
  });

  it('refuses invalid settings with 400 and keeps the old ones', async () => {
    const before = (await h.api('GET', '/v1/settings')).body;
    for (const patch of [
      { queueMode: 'sometimes' },
      { batchLimit: 0 },
      { batchLimt: 5 },
      { timeoutMs: '5' },
    ]) {
      const res = await h.api<ErrorBody>('PATCH', '/v1/settings', patch);
      expect([res.status, res.body.error.code]).toEqual([400, 'invalid_body']);
    }
    expect((await h.api('GET', '/v1/settings')).body).toEqual(before);
  });

  it('answers unknown routes and ids with 404 JSON', async () => {
    const missing = await h.api<ErrorBody>('GET', '/v1/webhooks/00000000-0000-0000-0000-000000000000');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    const notUuid = await h.api<ErrorBody>('GET', '/v1/webhooks/42');
    expect(notUuid.status).toBe(404);
    const route = await h.api<ErrorBody>('GET', '/v1/nothing-here');
    expect([route.status, route.body.error.code]).toEqual([404, 'not_found']);
  });
});
