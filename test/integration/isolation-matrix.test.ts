import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import {
  APP_RULES,
  APPS,
  expected,
  outcomeOf,
  RULES,
  type AppId,
  type OrgId,
  type Rule,
  type Target,
} from '../support/tenancy-rules.js';
import { createWorld, type World } from '../support/tenancy-world.js';

// Tenancy as an exhaustive matrix: every operation of /openapi.json × every kind of caller ×
// {its own object, another application's, another organization's} → the status the product
// contract gives. The expectations (support/tenancy-rules.ts) are the tests' own reading of the
// contract (Mix's rules), not the implementation's tables, and every documented route must have
// one: a route added without its expectation fails the test.

describe('tenant isolation: every route × every caller × own and foreign objects', () => {
  let h: Harness;
  let receiver: Receiver;
  /** Per application: a webhook, a delivery log row of a real batch, an app key. */
  const objects = {} as Record<AppId, { webhook: string; log: string; key: string }>;
  /** Per organization: a member that is not a principal (for the member routes). */
  const spareMember = {} as Record<OrgId, string>;
  const since = new Date(Date.now() - 3600_000).toISOString();

  let world: World;
  const admin = <T>(method: string, path: string, body?: unknown) => world.admin<T>(method, path, body);
  const newWebhook = async (app: AppId) =>
    (
      await admin<{ id: string }>('POST', `/v1/apps/${app}/webhooks`, {
        name: `${app} hook`,
        url: receiver.url,
        events: ['page.hit'],
      })
    ).id;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
    world = await createWorld(h);
    await admin('POST', '/v1/event-types', { name: 'matrix.kept' });
    for (const app of APPS) {
      const webhook = await newWebhook(app);
      await admin('POST', `/v1/apps/${app}/events`, { type: 'page.hit', payload: { app } });
      const log = await waitUntil(async () => {
        const rows = await admin<{ id: string; mode: string }[]>(
          'GET',
          `/v1/apps/${app}/webhooks/${webhook}/deliveries`,
        );
        return rows.find((r) => r.mode === 'immediate')?.id;
      });
      objects[app] = { webhook, log, key: (await world.newAppKey(app)).id };
    }
    for (const org of ['default', 'org-a', 'org-b'] as const)
      spareMember[org] = (await world.newMember(org, 'viewer')).id;
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  /** A request body an allowed caller's request is valid with. */
  function bodyOf(method: string, path: string): unknown {
    const n = Math.random().toString(36).slice(2, 8);
    const bodies: Record<string, unknown> = {
      'POST /v1/events': { type: 'page.hit', payload: { n } },
      'POST /v1/event-types': { name: `matrix.t${n}` },
      'PATCH /v1/event-types/{name}': { description: 'd' },
      'POST /v1/webhooks': { name: 'made', url: receiver.url, events: ['page.hit'] },
      'PATCH /v1/webhooks/{id}': { description: 'd' },
      'POST /v1/webhooks/{id}/recover': { since },
      'PATCH /v1/settings': { batchLimit: 10 },
      'POST /v1/api-keys': { name: 'k', role: 'viewer' },
      'POST /v1/apps/{app}/api-keys': { name: 'k', role: 'viewer' },
      'POST /v1/orgs': { name: 'made' },
      'PATCH /v1/orgs/{org}': { name: 'renamed' },
      'POST /v1/orgs/{org}/apps': { name: 'made' },
      'PATCH /v1/apps/{app}': { description: 'd' },
      'POST /v1/apps/{app}/portal-access': { readOnly: true },
      'POST /v1/orgs/{org}/members': { name: 'made', orgRole: 'viewer' },
      'PATCH /v1/orgs/{org}/members/{id}': { name: 'renamed' },
    };
    return bodies[`${method} ${path}`];
  }

  /** The targets of a route, each with the concrete path (fresh objects for deletes). */
  async function targetsOf(method: string, template: string, rulePath: string, rule: Rule) {
    const out: { target: Target; path: string }[] = [];
    if (rule === 'installation-admin' || rule === 'installation-read') {
      // The installation's own objects: a catalogue type, an installation key.
      const name =
        method === 'DELETE'
          ? (await admin<{ name: string }>('POST', '/v1/event-types', bodyOf('POST', '/v1/event-types'))).name
          : 'matrix.kept';
      const id = template.includes('{id}')
        ? (await admin<{ id: string }>('POST', '/v1/api-keys', { name: 'spare', role: 'viewer' })).id
        : '';
      return [{ target: {}, path: template.replace('{name}', name).replace('{id}', id) }];
    }
    const hasId = template.includes('{id}');
    const appsOfPath: AppId[] = template.includes('{app}') ? ['a1', 'a2', 'b1', 'default'] : ['default'];
    const deletes = method === 'DELETE' && hasId;
    for (const app of appsOfPath) {
      if (template.includes('{org}')) break;
      // Own object, and on a1 (or default, unprefixed) other applications' and organizations' ids.
      const owners: AppId[] = !hasId
        ? [app]
        : app === 'a1'
          ? ['a1', 'a2', 'b1']
          : app === 'default'
            ? ['default', 'a1']
            : [app];
      for (const owner of owners) {
        let id = '';
        if (hasId) {
          const kind = rulePath.includes('/api-keys/')
            ? 'key'
            : rulePath.startsWith('/v1/deliveries/')
              ? 'log'
              : 'webhook';
          id = deletes
            ? kind === 'key'
              ? (await world.newAppKey(owner)).id
              : await newWebhook(owner)
            : objects[owner][kind];
        }
        const path = template.replace('{app}', app).replace('{id}', id);
        out.push({ target: { app, ...(hasId ? { owner } : {}) }, path });
      }
    }
    if (template.includes('{org}')) {
      for (const org of ['org-a', 'org-b', 'default'] as const) {
        const owners: OrgId[] = !hasId ? [org] : org === 'org-a' ? ['org-a', 'org-b'] : [org];
        for (const owner of owners) {
          const id = hasId
            ? deletes
              ? (await world.newMember(owner, 'viewer')).id
              : spareMember[owner]
            : '';
          out.push({
            target: { org, ...(hasId ? { owner } : {}) },
            path: template.replace('{org}', org).replace('{id}', id),
          });
        }
      }
    }
    if (out.length === 0) out.push({ target: {}, path: template });
    return out;
  }

  it('answers every documented route as the contract says, for every caller and object', async () => {
    type Doc = { paths: Record<string, Record<string, unknown>> };
    const doc = (await h.api<Doc>('GET', '/openapi.json', undefined, { key: null })).body;
    const missing: string[] = [];
    const wrong: string[] = [];
    let requests = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const m of Object.keys(operations)) {
        const method = m.toUpperCase();
        const twin = template.startsWith('/v1/apps/{app}/')
          ? `/v1/${template.slice('/v1/apps/{app}/'.length)}`
          : template;
        const rulePath = RULES[`${method} ${template}`] ? template : twin;
        const rule = RULES[`${method} ${rulePath}`];
        if (!rule || (rulePath !== template && !APP_RULES.has(rule))) {
          missing.push(`${method} ${template}`);
          continue;
        }
        if (template === '/metrics') continue; // Prometheus text; public like the probes
        // Each caller in turn; its requests go out together.
        for (const { name, p, key } of world.principals) {
          const targets = await targetsOf(method, template, rulePath, rule);
          await Promise.all(
            targets.map(async ({ target, path }) => {
              const res = await h.api<{ error?: { code: string } }>(method, path, bodyOf(method, rulePath), {
                key,
              });
              requests++;
              const got = outcomeOf(res.status);
              const want = expected(rule, p, target);
              if (got !== want)
                wrong.push(
                  `${method} ${path} as ${name}: ${res.status} ${res.body?.error?.code ?? ''}, expected ${want}`,
                );
            }),
          );
          // Revoking an application's portal access takes the portal principals' tokens too.
          if (rule === 'portal' && method === 'DELETE') await world.mintPortalTokens();
        }
      }
    }
    expect(missing).toEqual([]);
    expect(wrong).toEqual([]);
    // 47 declarations, two paths for each application route, 25 callers, up to 4 targets.
    expect(requests).toBeGreaterThan(2000);
  });

  const keyOf = (name: string) => world.principals.find((p) => p.name === name)!.key;

  it('never shows a caller another application: lists and /v1/me hold only what it reaches', async () => {
    const member = await h.api<{ apps: { id: string }[]; orgs: { id: string }[] }>(
      'GET',
      '/v1/me',
      undefined,
      {
        key: keyOf('member member/viewer'),
      },
    );
    expect(member.body.orgs.map((o) => o.id)).toEqual(['org-a']);
    expect(member.body.apps.map((a) => a.id)).toEqual(['a1']);
    const appKey = await h.api<{ kind: string; apps: { id: string }[] }>('GET', '/v1/me', undefined, {
      key: keyOf('a2 viewer key'),
    });
    expect(appKey.body).toMatchObject({ kind: 'app', apps: [{ id: 'a2', orgId: 'org-a' }] });
    const orgs = await h.api<{ id: string }[]>('GET', '/v1/orgs', undefined, {
      key: keyOf('member owner/none'),
    });
    expect(orgs.body.map((o) => o.id)).toEqual(['org-a']);
    const hooks = await h.api<{ id: string }[]>('GET', '/v1/apps/a2/webhooks', undefined, {
      key: keyOf('a2 viewer key'),
    });
    const a2 = (await h.db.knex('webhooks').where({ app_id: 'a2' }).select('id')).map(
      (r: { id: string }) => r.id,
    );
    expect(hooks.body.map((w) => w.id).sort()).toEqual(a2.sort());
  });
});
