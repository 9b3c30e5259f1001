import { expressPath } from '@hookline/api';
import { startHarness, waitUntil, type Harness } from '@hookline/testing';
import { createWebhook } from '../support/fixtures.js';

type Role = 'admin' | 'producer' | 'viewer' | 'none';

describe('API keys and roles (Mix)', () => {
  let h: Harness;
  const keys: Record<Exclude<Role, 'none'>, string> = { admin: '', producer: '', viewer: '' };
  let webhookId: string;
  let logId: string;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    for (const role of ['admin', 'producer', 'viewer'] as const) {
      const res = await h.api<{ key: string; role: string }>('POST', '/v1/api-keys', {
        name: `${role} key`,
        role,
      });
      expect(res.status).toBe(201);
      keys[role] = res.body.key;
    }
    webhookId = (await createWebhook(h, { url: 'http://127.0.0.1:9/hook', events: ['page.hit'] })).id;
    await h.api('POST', `/v1/webhooks/${webhookId}/test`);
    logId = (await h.api<{ id: string }[]>('GET', `/v1/webhooks/${webhookId}/deliveries`)).body[0]!.id;
  });
  afterAll(() => h.stop());

  it('stores keys hashed and lists them without the key', async () => {
    const rows = await h.db.knex('api_keys').select('key_hash');
    for (const key of Object.values(keys)) expect(JSON.stringify(rows)).not.toContain(key);
    const listed = await h.api<{ name: string }[]>('GET', '/v1/api-keys');
    expect(listed.body.map((k) => k.name)).toEqual(['admin key', 'producer key', 'viewer key']);
    expect(JSON.stringify(listed.body)).not.toMatch(/hk_/);
  });

  type Operation = { 'x-roles': string[] };
  type Document = { paths: Record<string, Record<string, Operation>> };

  /** A request body for routes whose allowed callers should get past validation. */
  const bodies: Record<string, unknown> = {
    'post /v1/events': { type: 'page.hit', payload: {} },
    'post /v1/webhooks': { name: 'n', url: 'http://127.0.0.1:9/', events: ['page.hit'] },
    'patch /v1/webhooks/{id}': { description: 'x' },
    'patch /v1/settings': { batchLimit: 10 },
    'post /v1/api-keys': { name: 'k', role: 'viewer' },
  };
  const NONE = '00000000-0000-0000-0000-000000000000';
  /** Real ids where the route reads one; a nonexistent one where it would delete it. */
  const concrete = (method: string, path: string) =>
    path.startsWith('/v1/deliveries/')
      ? path.replace('{id}', logId)
      : path.startsWith('/v1/webhooks/') && method !== 'delete'
        ? path.replace('{id}', webhookId)
        : path.replace('{id}', NONE);

  // The matrix comes from the route table (through /openapi.json, whose x-roles it derives), so
  // a new route is covered the moment it is declared.
  it('every documented route answers each role as its x-roles say: 401 without a key, 403 for other roles', async () => {
    const document = (await h.api<Document>('GET', '/openapi.json')).body;
    const roles: Role[] = ['none', 'producer', 'viewer', 'admin'];
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const allowed = operation['x-roles'];
        for (const role of roles) {
          const key = role === 'none' ? null : keys[role];
          const res = await h.api<{ error?: { code: string } }>(
            method.toUpperCase(),
            concrete(method, path),
            bodies[`${method} ${path}`],
            { key },
          );
          checked++;
          const expected =
            allowed.length === 0
              ? 'public'
              : role === 'none'
                ? '401 unauthorized'
                : allowed.includes(role)
                  ? 'allowed'
                  : '403 forbidden';
          const got =
            res.status >= 500
              ? `${res.status}`
              : res.status === 401 || res.status === 403
                ? `${res.status} ${res.body?.error?.code}`
                : allowed.length === 0
                  ? 'public'
                  : 'allowed';
          if (got !== expected)
            wrong.push(`${method.toUpperCase()} ${path} as ${role}: ${got}, expected ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(20 * roles.length);
  });

  it('the document describes every route the app serves (with its roles), and nothing more', async () => {
    const document = (await h.api<Document>('GET', '/openapi.json')).body;
    const documented = Object.entries(document.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${expressPath(path)}`))
      .sort();
    type Layer = { route?: { path: string; methods: Record<string, boolean> } };
    const served = (h.app.router as unknown as { stack: Layer[] }).stack
      .flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : []))
      .filter((r) => !/ \/(openapi\.json|docs)/.test(r)) // the document and its viewer describe the API
      .sort();
    expect(served).toEqual(documented);
    for (const ops of Object.values(document.paths))
      for (const op of Object.values(ops)) expect(Array.isArray(op['x-roles'])).toBe(true);
  });

  it('viewers see secrets and header values redacted', async () => {
    const hook = await createWebhook(h, {
      url: 'http://127.0.0.1:9/',
      events: ['page.hit'],
      headers: { Authorization: 'Bearer s3cr3t' },
    });
    const seen = await h.api<{ secret: string; headers: Record<string, string> }>(
      'GET',
      `/v1/webhooks/${hook.id}`,
      undefined,
      {
        key: keys.viewer,
      },
    );
    expect(seen.body.secret).toBe('[redacted]');
    expect(seen.body.headers).toEqual({ Authorization: '[redacted]' });
    expect(
      JSON.stringify((await h.api('GET', '/v1/webhooks', undefined, { key: keys.viewer })).body),
    ).not.toContain(hook.secret);
  });

  it('a revoked key stops working within 5 s (lookups are cached that long)', async () => {
    const created = await h.api<{ id: string; key: string }>('POST', '/v1/api-keys', {
      name: 'temp',
      role: 'producer',
    });
    const post = () =>
      h.api('POST', '/v1/events', { type: 'page.hit', payload: {} }, { key: created.body.key });
    expect((await post()).status).toBe(202); // now cached
    expect((await h.api('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    await waitUntil(async () => (await post()).status === 401, 7000, 200);
    expect(Date.now() - revokedAt).toBeLessThan(5500);
  });
});
