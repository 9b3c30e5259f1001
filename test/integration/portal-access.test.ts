import { createHash } from 'node:crypto';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';

// Portal links (docs/PORTAL.md): a token for one application's
// webhook routes, read-only or not, until it expires or the application's portal access is
// revoked; stored hashed; handed out in a URL whose fragment carries it.

describe('portal access', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
    await h.api('POST', '/v1/orgs', { id: 'acme', name: 'Acme' });
    await h.api('POST', '/v1/orgs/acme/apps', { id: 'shop', name: 'The Shop' });
    await h.api('POST', '/v1/orgs/acme/apps', { id: 'other', name: 'Other' });
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  type Link = { url: string; token: string; expiresAt: string };
  const link = async (app: string, body: unknown = {}) => {
    const res = await h.api<Link>('POST', `/v1/apps/${app}/portal-access`, body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const as = (token: string) => ({ key: token });
  const tokens = async () => Number((await h.db.knex('portal_tokens').count({ n: '*' }))[0]!.n);

  it('hands out a link whose fragment carries a token kept only as its hash', async () => {
    const before = Date.now();
    const { url, token, expiresAt } = await link('shop');
    expect(url).toBe(`http://hookline.test/portal/#token=${token}`);
    expect(token).toMatch(/^hkp_[A-Za-z0-9_-]{32}$/);
    const lifetime = Date.parse(expiresAt) - before;
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000 + (Date.now() - before));
    const stored = await h.db.knex('portal_tokens').select('token_hash');
    expect(stored.map((r: { token_hash: string }) => r.token_hash)).toContain(
      createHash('sha256').update(token).digest('hex'),
    );
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("reaches its application's webhooks, deliveries and stats, and nothing else", async () => {
    const { token } = await link('shop');
    const created = await h.api<{ id: string; secret: string }>(
      'POST',
      '/v1/apps/shop/webhooks',
      { name: 'mine', url: receiver.url, events: ['page.hit'] },
      as(token),
    );
    expect(created.status).toBe(201);
    expect(created.body.secret).toBeTruthy();
    const listed = await h.api<{ id: string }[]>('GET', '/v1/apps/shop/webhooks', undefined, as(token));
    expect(listed.body.map((w) => w.id)).toEqual([created.body.id]);
    expect((await h.api('GET', '/v1/apps/shop/stats?window=1h', undefined, as(token))).status).toBe(200);
    expect(
      (await h.api('GET', `/v1/apps/shop/webhooks/${created.body.id}/deliveries`, undefined, as(token)))
        .status,
    ).toBe(200);
    // Not the application's events, queue, keys, record or portal links; not another application.
    const refused = async (method: string, path: string, body?: unknown) =>
      (await h.api<{ error: { code: string } }>(method, path, body, as(token))).status;
    expect(await refused('POST', '/v1/apps/shop/events', { type: 'page.hit', payload: {} })).toBe(403);
    expect(await refused('GET', '/v1/apps/shop/queue')).toBe(403);
    expect(await refused('GET', '/v1/apps/shop/api-keys')).toBe(403);
    expect(await refused('GET', '/v1/apps/shop')).toBe(403);
    expect(await refused('POST', '/v1/apps/shop/portal-access', {})).toBe(403);
    expect(await refused('GET', '/v1/apps/other/webhooks')).toBe(404);
    expect(await refused('GET', '/v1/webhooks')).toBe(404);
    expect(await refused('GET', '/v1/orgs/acme')).toBe(403);
  });

  it('tells the portal its application, accent and limits through /v1/me', async () => {
    expect((await h.api('PATCH', '/v1/apps/shop', { portal: { accent: '#0a7' } })).status).toBe(200);
    const { token, expiresAt } = await link('shop', { readOnly: true, expiresInSeconds: 600 });
    const me = await h.api('GET', '/v1/me', undefined, as(token));
    expect(me.body).toEqual({
      kind: 'portal',
      name: 'portal of shop',
      role: 'portal-read-only',
      orgs: [],
      apps: [
        {
          id: 'shop',
          orgId: 'acme',
          role: 'portal-read-only',
          can: expect.objectContaining({ view: true, change: false }),
        },
      ],
      portal: { appName: 'The Shop', accent: '#0a7', readOnly: true, expiresAt },
    });
  });

  it('lets a read-only token read and nothing more', async () => {
    const hook = await h.api<{ id: string }>('POST', '/v1/apps/shop/webhooks', {
      name: 'read',
      url: receiver.url,
      events: ['page.hit'],
    });
    const { token } = await link('shop', { readOnly: true });
    expect((await h.api('GET', `/v1/apps/shop/webhooks/${hook.body.id}`, undefined, as(token))).status).toBe(
      200,
    );
    const patched = await h.api<{ error: { code: string; message: string } }>(
      'PATCH',
      `/v1/apps/shop/webhooks/${hook.body.id}`,
      { description: 'x' },
      as(token),
    );
    expect(patched.status).toBe(403);
    expect(patched.body.error.message).toMatch(/only reads/);
    expect(
      (await h.api('POST', `/v1/apps/shop/webhooks/${hook.body.id}/rotate-secret`, undefined, as(token)))
        .status,
    ).toBe(403);
  });

  it('answers 401 token_expired once a token has expired', async () => {
    const { token } = await link('shop');
    await h.db
      .knex('portal_tokens')
      .where({ token_hash: createHash('sha256').update(token).digest('hex') })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const res = await h.api<{ error: { code: string } }>(
      'GET',
      '/v1/apps/shop/webhooks',
      undefined,
      as(token),
    );
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it("revokes every token of the application, and only that application's, within 5 s", async () => {
    const first = await link('shop');
    const second = await link('shop', { readOnly: true });
    const other = await link('other');
    for (const { token } of [first, second])
      expect((await h.api('GET', '/v1/apps/shop/webhooks', undefined, as(token))).status).toBe(200);
    expect((await h.api('DELETE', '/v1/apps/shop/portal-access')).status).toBe(204);
    for (const { token } of [first, second]) {
      await waitUntil(
        async () => (await h.api('GET', '/v1/apps/shop/webhooks', undefined, as(token))).status === 401,
      );
    }
    expect((await h.api('GET', '/v1/apps/other/webhooks', undefined, as(other.token))).status).toBe(200);
  });

  it.each([
    [{ expiresInSeconds: 59 }],
    [{ expiresInSeconds: 604_801 }],
    [{ expiresInSeconds: 1.5 }],
    [{ readOnly: 'yes' }],
    [{ scope: 'all' }],
  ])('refuses %j with 400 and hands out nothing', async (body) => {
    const before = await tokens();
    const res = await h.api<{ error: { code: string } }>('POST', '/v1/apps/shop/portal-access', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(await tokens()).toBe(before);
  });

  it('refuses an accent that is not a colour, and changes nothing', async () => {
    const res = await h.api<{ error: { code: string } }>('PATCH', '/v1/apps/other', {
      portal: { accent: 'red' },
    });
    expect(res.status).toBe(400);
    expect((await h.api<{ portal: unknown }>('GET', '/v1/apps/other')).body.portal).toEqual({});
  });
});
