import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';

interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
}

describe('OpenAPI document generated from the zod schemas', () => {
  let h: Harness;
  let receiver: Receiver;
  let doc: OpenApiDoc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  /** "METHOD /path/{param}" of every documented operation a test called and checked. */
  const checked = new Set<string>();

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
    doc = (await h.api<OpenApiDoc>('GET', '/openapi.json', undefined, { key: null })).body;
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  /** Calls the API for real and checks the reply against what the document says it returns. */
  async function call<T>(method: string, template: string, path: string, body?: unknown): Promise<T> {
    const res = await h.api<T>(method, path, body);
    const operation = doc.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`${method} ${template} is not in the document`);
    const documented = operation.responses[String(res.status)];
    if (!documented) throw new Error(`${method} ${path} answered ${res.status}, not documented`);
    const schema = documented.content?.['application/json']?.schema;
    if (schema) {
      const validate = ajv.compile(schema);
      if (!validate(res.body)) {
        throw new Error(`${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`);
      }
    } else {
      expect(res.body).toBeUndefined();
    }
    checked.add(`${method} ${template}`);
    return res.body;
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route truthfully: real replies match the documented schemas', async () => {
    const types = await call<{ name: string }[]>('GET', '/v1/event-types', '/v1/event-types');
    expect(types.map((t) => t.name)).toContain('form.submitted');
    await call('POST', '/v1/event-types', '/v1/event-types', {
      name: 'message.posted',
      description: 'A chat message',
      schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
    });
    await call('PATCH', '/v1/event-types/{name}', '/v1/event-types/message.posted', {
      description: 'Posted',
    });
    await call('POST', '/v1/event-types', '/v1/event-types', { name: 'scratch' });
    await call('DELETE', '/v1/event-types/{name}', '/v1/event-types/scratch');
    await call('POST', '/v1/events', '/v1/events', { type: 'message.posted', payload: { text: 7 } });
    await call('POST', '/v1/webhooks', '/v1/webhooks', {
      name: 'mattermost-style',
      url: receiver.url,
      events: ['message.posted'],
      trigger: { words: ['#build'], when: 'exact' },
      filter: { any: [[{ path: 'payload.channel_name', op: 'eq', value: 'town-square' }]] },
      token: 'tok',
      replyEventType: 'message.posted',
    });
    const created = await call<{ id: string }>('POST', '/v1/webhooks', '/v1/webhooks', {
      name: 'documented',
      url: receiver.url,
      events: ['form.submitted'],
      headers: { 'X-Tenant': 'a' },
      filter: [{ path: 'payload.form.id', op: 'exists' }],
    });
    const one = `/v1/webhooks/${created.id}`;
    await call('GET', '/v1/webhooks', '/v1/webhooks');
    await call('GET', '/v1/webhooks/{id}', one);
    await call('PATCH', '/v1/webhooks/{id}', one, { description: 'now described' });
    await call('POST', '/v1/webhooks/{id}/rotate-secret', `${one}/rotate-secret`);
    await call('POST', '/v1/webhooks/{id}/enable', `${one}/enable`);
    await call('POST', '/v1/webhooks/{id}/test', `${one}/test`);
    await call('POST', '/v1/webhooks/{id}/recover', `${one}/recover`, { since: '2026-01-01T00:00:00Z' });
    await call('POST', '/v1/events', '/v1/events', { type: 'form.submitted', payload: { form: { id: 1 } } });
    await call('POST', '/v1/events', '/v1/events', { events: [{ type: 'form.submitted', payload: {} }] });
    await receiver.waitFor(2);
    const logs = await call<{ id: string }[]>(
      'GET',
      '/v1/webhooks/{id}/deliveries',
      `${one}/deliveries?limit=5`,
    );
    await call('POST', '/v1/deliveries/{id}/redeliver', `/v1/deliveries/${logs[0]!.id}/redeliver`);
    await call('GET', '/v1/settings', '/v1/settings');
    await call('PATCH', '/v1/settings', '/v1/settings', { batchLimit: 20 });
    await call('GET', '/v1/queue', '/v1/queue');
    await call('GET', '/v1/webhook-health', '/v1/webhook-health');
    await call('GET', '/v1/stats', `/v1/stats?webhook=${created.id}&window=1h`);
    const key = await call<{ id: string }>('POST', '/v1/api-keys', '/v1/api-keys', {
      name: 'k',
      role: 'viewer',
    });
    await call('GET', '/v1/api-keys', '/v1/api-keys');
    await call('DELETE', '/v1/api-keys/{id}', `/v1/api-keys/${key.id}`);
    await call('DELETE', '/v1/webhooks/{id}', one);
    // Errors too: the documented error shape and statuses.
    await call('GET', '/v1/webhooks/{id}', one);
    await call('POST', '/v1/webhooks', '/v1/webhooks', { name: 'x' });
    await call('POST', '/v1/events', '/v1/events', { type: 'no.such', payload: {} });
    await call('GET', '/healthz', '/healthz');
    await call('GET', '/readyz', '/readyz');
  });

  it('documents the tenant routes and the application routes under /v1/apps/{app} truthfully', async () => {
    await call('GET', '/v1/me', '/v1/me');
    await call('POST', '/v1/orgs', '/v1/orgs', { id: 'acme', name: 'Acme' });
    await call('GET', '/v1/orgs', '/v1/orgs');
    await call('GET', '/v1/orgs/{org}', '/v1/orgs/acme');
    await call('PATCH', '/v1/orgs/{org}', '/v1/orgs/acme', { name: 'Acme Inc.' });
    await call('POST', '/v1/orgs/{org}/apps', '/v1/orgs/acme/apps', { id: 'shop', name: 'Shop' });
    await call('POST', '/v1/orgs/{org}/apps', '/v1/orgs/acme/apps', { id: 'shop', name: 'Taken' });
    await call('GET', '/v1/orgs/{org}/apps', '/v1/orgs/acme/apps');
    await call('GET', '/v1/apps/{app}', '/v1/apps/shop');
    await call('PATCH', '/v1/apps/{app}', '/v1/apps/shop', { rateLimit: 1000, description: 'the shop' });
    const member = await call<{ id: string }>('POST', '/v1/orgs/{org}/members', '/v1/orgs/acme/members', {
      name: 'Ada',
      orgRole: 'member',
      appRoles: { shop: 'owner' },
    });
    await call('GET', '/v1/orgs/{org}/members', '/v1/orgs/acme/members');
    const memberPath = `/v1/orgs/acme/members/${member.id}`;
    await call('PATCH', '/v1/orgs/{org}/members/{id}', memberPath, { orgRole: 'viewer' });
    await call('DELETE', '/v1/orgs/{org}/members/{id}', memberPath);

    const app = '/v1/apps/shop';
    const key = await call<{ id: string }>('POST', '/v1/apps/{app}/api-keys', `${app}/api-keys`, {
      name: 'shop producer',
      role: 'producer',
    });
    await call('GET', '/v1/apps/{app}/api-keys', `${app}/api-keys`);
    await call('DELETE', '/v1/apps/{app}/api-keys/{id}', `${app}/api-keys/${key.id}`);
    const created = await call<{ id: string }>('POST', '/v1/apps/{app}/webhooks', `${app}/webhooks`, {
      name: 'shop hook',
      url: receiver.url,
      events: ['page.hit'],
    });
    const one = `${app}/webhooks/${created.id}`;
    await call('GET', '/v1/apps/{app}/webhooks', `${app}/webhooks`);
    await call('GET', '/v1/apps/{app}/webhooks/{id}', one);
    await call('PATCH', '/v1/apps/{app}/webhooks/{id}', one, { description: 'described' });
    await call('POST', '/v1/apps/{app}/webhooks/{id}/rotate-secret', `${one}/rotate-secret`);
    await call('POST', '/v1/apps/{app}/webhooks/{id}/enable', `${one}/enable`);
    await call('POST', '/v1/apps/{app}/webhooks/{id}/test', `${one}/test`);
    await call('POST', '/v1/apps/{app}/webhooks/{id}/recover', `${one}/recover`, {
      since: '2026-01-01T00:00:00Z',
    });
    await call('POST', '/v1/apps/{app}/events', `${app}/events`, { type: 'page.hit', payload: { n: 1 } });
    await waitUntil(() => receiver.requests.some((r) => r.body.includes('"n":1')));
    // The log row is written just after the receiver answers.
    const logs = await waitUntil(async () => {
      const rows = await call<{ id: string; mode: string }[]>(
        'GET',
        '/v1/apps/{app}/webhooks/{id}/deliveries',
        `${one}/deliveries?limit=5`,
      );
      return rows.some((l) => l.mode === 'immediate') ? rows : undefined;
    });
    await call(
      'POST',
      '/v1/apps/{app}/deliveries/{id}/redeliver',
      `${app}/deliveries/${logs[0]!.id}/redeliver`,
    );
    await call('GET', '/v1/apps/{app}/queue', `${app}/queue`);
    await call('GET', '/v1/apps/{app}/webhook-health', `${app}/webhook-health`);
    await call('GET', '/v1/apps/{app}/stats', `${app}/stats?window=1h`);
    await call('PATCH', '/v1/apps/{app}', app, { portal: { accent: '#0a7' } });
    await call('POST', '/v1/apps/{app}/portal-access', `${app}/portal-access`, { expiresInSeconds: 600 });
    await call('POST', '/v1/apps/{app}/portal-access', `${app}/portal-access`, { expiresInSeconds: 5 });
    await call('DELETE', '/v1/apps/{app}/portal-access', `${app}/portal-access`);
    // Another application's webhook, by id, is not there.
    await call('GET', '/v1/webhooks/{id}', `/v1/webhooks/${created.id}`);
    await call('DELETE', '/v1/apps/{app}', app);
    await call('DELETE', '/v1/apps/{app}/webhooks/{id}', one);
    await call('DELETE', '/v1/orgs/{org}', '/v1/orgs/acme');
    await call('DELETE', '/v1/apps/{app}', app);
    await call('DELETE', '/v1/orgs/{org}', '/v1/orgs/acme');
  });

  it('every documented operation was called above and its reply checked', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    // /metrics answers Prometheus text, checked in metrics.test.ts.
    expect(documented.filter((op) => !checked.has(op))).toEqual(['GET /metrics']);
  });

  it('takes request bodies from the same schemas the API validates with', () => {
    const create = doc.paths['/v1/webhooks']!.post as unknown as {
      requestBody: {
        content: {
          'application/json': { schema: { required: string[]; properties: object; anyOf: unknown } };
        };
      };
    };
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required.sort()).toEqual(['events', 'name']);
    expect(schema.anyOf).toEqual([{ required: ['url'] }, { required: ['urls'] }]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'secret',
        'method',
        'contentType',
        'bodyTemplate',
        'filter',
        'order',
        'signature',
      ]),
    );
  });

  it('serves a Swagger UI page at /docs with its assets', async () => {
    const page = await fetch(`${h.baseUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${h.baseUrl}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(Number(bundle.headers.get('content-length'))).toBeGreaterThan(100_000);
    await bundle.arrayBuffer();
  });
});
