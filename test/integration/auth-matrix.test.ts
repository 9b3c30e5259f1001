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

  // [method, path, body, roles allowed]
  const endpoints: [string, string, unknown, Role[]][] = [
    ['POST', '/v1/events', { type: 'page.hit', payload: {} }, ['admin', 'producer']],
    ['GET', '/v1/event-types', undefined, ['admin', 'viewer']],
    ['GET', '/v1/webhooks', undefined, ['admin', 'viewer']],
    ['POST', '/v1/webhooks', { name: 'n', url: 'http://127.0.0.1:9/', events: ['page.hit'] }, ['admin']],
    ['GET', '/v1/webhooks/:webhook', undefined, ['admin', 'viewer']],
    ['PATCH', '/v1/webhooks/:webhook', { description: 'x' }, ['admin']],
    ['POST', '/v1/webhooks/:webhook/enable', undefined, ['admin']],
    ['POST', '/v1/webhooks/:webhook/rotate-secret', undefined, ['admin']],
    ['POST', '/v1/webhooks/:webhook/test', undefined, ['admin']],
    ['GET', '/v1/webhooks/:webhook/deliveries', undefined, ['admin', 'viewer']],
    ['POST', '/v1/deliveries/:log/redeliver', undefined, ['admin']],
    ['GET', '/v1/settings', undefined, ['admin', 'viewer']],
    ['GET', '/v1/queue', undefined, ['admin', 'viewer']],
    ['PATCH', '/v1/settings', { batchLimit: 10 }, ['admin']],
    ['GET', '/v1/api-keys', undefined, ['admin']],
    ['POST', '/v1/api-keys', { name: 'k', role: 'viewer' }, ['admin']],
    ['DELETE', '/v1/api-keys/00000000-0000-0000-0000-000000000000', undefined, ['admin']],
    ['DELETE', '/v1/webhooks/00000000-0000-0000-0000-000000000000', undefined, ['admin']],
  ];

  const roles: Role[] = ['none', 'producer', 'viewer', 'admin'];
  it.each(
    endpoints.flatMap(([method, path, body, allowed]) =>
      roles.map((role) => [method, path, body, allowed, role] as const),
    ),
  )('%s %s as %s', async (method, path, body, allowed, role) => {
    const key = role === 'none' ? null : keys[role];
    const res = await h.api<{ error?: { code: string } }>(
      method,
      path.replace(':webhook', webhookId).replace(':log', logId),
      body,
      {
        key,
      },
    );
    if (role === 'none') expect([res.status, res.body?.error?.code]).toEqual([401, 'unauthorized']);
    else if (!allowed.includes(role)) expect([res.status, res.body?.error?.code]).toEqual([403, 'forbidden']);
    else {
      expect(res.status).toBeLessThan(500);
      expect([401, 403]).not.toContain(res.status);
    }
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
