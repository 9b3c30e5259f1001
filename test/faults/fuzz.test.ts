import fc from 'fast-check';
import { report } from './support/report.js';
import { ADMIN_KEY, startScenario, type Scenario } from './support/scenario.js';

const RUNS = 2000;

/** Nested arrays/objects far deeper than any payload needs. */
const deepNesting = fc.integer({ min: 1, max: 200_000 }).map((depth) => {
  const open = depth % 2 ? '[' : '{"a":';
  const close = depth % 2 ? ']' : '}';
  return `{"type":"form.submitted","payload":{"deep":${open.repeat(depth)}1${close.repeat(depth)}}}`;
});

const protoKeys = fc.constantFrom(
  '{"__proto__":{"admin":true},"type":"form.submitted","payload":{}}',
  '{"type":"form.submitted","payload":{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}}',
  '{"name":"x","url":"https://example.com/","events":["page.hit"],"__proto__":{"enabled":false}}',
  '{"name":"x","url":"https://example.com/","events":["page.hit"],"filter":[{"path":"__proto__.x","op":"exists"}]}',
  '{"events":[{"type":"page.hit","payload":{}}],"__proto__":[]}',
);

const hugeString = fc
  .integer({ min: 100_000, max: 1_200_000 })
  .map((n) => `{"type":"page.hit","payload":{"s":"${'x'.repeat(n)}"}}`);

const eventish = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('form.submitted', 'mautic.page_on_hit', 'system.webhook_disabled'),
      fc.string(),
      fc.integer(),
      fc.constant(null),
    ),
    payload: fc.oneof(fc.object(), fc.jsonValue(), fc.string()),
    id: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant('\u0000')),
    timestamp: fc.oneof(
      fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'NaN' : d.toISOString())),
      fc.string(),
      fc.constant('0000-01-01T00:00:00Z'),
    ),
  },
  { requiredKeys: [] },
);

const webhookish = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant('\u0000')),
    url: fc.oneof(
      fc.webUrl(),
      fc.string(),
      fc.constantFrom('http://[::1]/', 'javascript:alert(1)', 'http://x:y@example.com/'),
    ),
    events: fc.oneof(
      fc.array(fc.constantFrom('page.hit', 'nope', 'system.webhook_disabled', 'mautic.form_on_submit')),
      fc.string(),
    ),
    secret: fc.oneof(fc.string({ maxLength: 600 }), fc.constant('whsec_AAAA')),
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'DELETE'), fc.integer()),
    contentType: fc.string(),
    bodyTemplate: fc.oneof(fc.string(), fc.constant("${event['payload']['__proto__']}"), fc.constant(null)),
    filter: fc.oneof(
      fc.array(
        fc.record({ path: fc.string(), op: fc.constantFrom('eq', 'in', 'nope'), value: fc.jsonValue() }),
      ),
      fc.jsonValue(),
    ),
    headers: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    signature: fc.constantFrom('mautic', 'standard', 'x'),
    order: fc.constantFrom('chronological', 'reverse', null, 1),
  },
  { requiredKeys: [] },
);

/** Raw bodies: JSON of many shapes, broken JSON, and bytes that are not UTF-8. */
function bodies(shape: fc.Arbitrary<unknown>): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { weight: 5, arbitrary: shape.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: shape.map((v) => JSON.stringify({ events: [v, v] })) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: deepNesting },
    { weight: 1, arbitrary: protoKeys },
    { weight: 1, arbitrary: hugeString },
  );
}

describe('fuzz (fast-check)', () => {
  let s: Scenario;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    s = await startScenario({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
    await s.api('POST', '/v1/webhooks', {
      name: 'filtered',
      url: 'https://example.com/hook',
      events: ['form.submitted', 'page.hit'],
      filter: [{ path: 'payload.form.id', op: 'exists' }],
      bodyTemplate: "${event['payload']['form']}",
      enabled: false,
    });
  });
  afterAll(() => s.stop());

  const send = async (path: string, body: string | Uint8Array, contentType: string) => {
    const res = await fetch(s.base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': contentType },
      body,
    });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    return { status: res.status, text };
  };

  const contentTypes = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
  );

  it.each(['/v1/events', '/v1/webhooks'])(
    `POST %s answers only 2xx/4xx, with a JSON error, over ${RUNS} cases`,
    async (path) => {
      await fc.assert(
        fc.asyncProperty(
          bodies(path === '/v1/events' ? eventish : webhookish),
          contentTypes,
          async (body, contentType) => {
            const res = await send(path, body, contentType);
            if (res.status >= 500)
              throw new Error(`${res.status} for ${String(body).slice(0, 300)}: ${res.text.slice(0, 300)}`);
            if (res.status >= 400) {
              const parsed = JSON.parse(res.text) as { error: { code: string; message: string } };
              if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string')
                throw new Error(res.text);
            }
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
      expect(s.ingest.proc.exitCode).toBeNull();
      expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    },
  );

  afterAll(() => {
    report('fuzz', {
      casesPerEndpoint: RUNS,
      endpoints: 2,
      statuses: Object.fromEntries(statuses),
      status5xx: [...statuses.keys()].filter((k) => k >= 500).length,
    });
  });
});
