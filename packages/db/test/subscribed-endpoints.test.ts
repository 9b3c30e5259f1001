import { createTestDatabase, webhookRow, type TestDatabase } from '@hookline/testing';
import {
  createApplication,
  createOrganization,
  createWebhook,
  deleteApplication,
  deleteWebhook,
  endpointsOfWebhook,
  recordEndpointFailure,
  setWebhookEnabled,
  setWebhookUrls,
  subscribedEndpoints,
  TargetCache,
  updateWebhook,
} from '../src/index.js';

// Ingest's fan-out read keeps targets per application and type, valid while the application's
// targets version (migration 12) stays put: every change fan-out reads must move it, and the
// changes every drain makes must not.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createOrganization(db.knex, { id: 'org', name: 'org' });
  for (const id of ['one', 'two'])
    await createApplication(db.knex, { id, orgId: 'org', name: id, description: null });
});
afterAll(() => db.destroy());

const hook = (appId: string, name: string, events = ['page.hit']) =>
  createWebhook(db.knex, ...webhookRow({ name, url: `http://127.0.0.1:9/${appId}/${name}`, events, appId }));

/** What fan-out reads for `appId`'s page.hit events through `cache`: "<webhook name> <url> <enabled>". */
async function targets(cache: TargetCache, appId: string, type = 'page.hit'): Promise<string[]> {
  const byApp = await db.knex.transaction((trx) =>
    subscribedEndpoints(trx, new Map([[appId, [type]]]), cache),
  );
  return (byApp.get(appId)?.get(type) ?? [])
    .map((t) => `${t.webhook.name} ${t.endpoint.url} ${t.endpoint.enabled}`)
    .sort();
}

const version = async (appId: string) =>
  String((await db.knex('applications').where({ id: appId }).first('targets_version'))!.targets_version);

describe("ingest's fan-out read", () => {
  it('sees every change of webhooks and endpoints at once, through its cache', async () => {
    const cache = new TargetCache();
    const a = await hook('one', 'a');
    expect(await targets(cache, 'one')).toEqual(['a http://127.0.0.1:9/one/a true']);

    const b = await hook('one', 'b');
    expect(await targets(cache, 'one')).toEqual([
      'a http://127.0.0.1:9/one/a true',
      'b http://127.0.0.1:9/one/b true',
    ]);

    await updateWebhook(db.knex, a.id, { events: ['form.submitted'] });
    expect(await targets(cache, 'one')).toEqual(['b http://127.0.0.1:9/one/b true']);
    expect(await targets(cache, 'one', 'form.submitted')).toEqual(['a http://127.0.0.1:9/one/a true']);

    await setWebhookUrls(db.knex, b.id, ['http://127.0.0.1:9/b1', 'http://127.0.0.1:9/b2']);
    expect(await targets(cache, 'one')).toEqual([
      'b http://127.0.0.1:9/b1 true',
      'b http://127.0.0.1:9/b2 true',
    ]);

    await setWebhookUrls(db.knex, b.id, ['http://127.0.0.1:9/b2']);
    expect(await targets(cache, 'one')).toEqual(['b http://127.0.0.1:9/b2 true']);

    await setWebhookEnabled(db.knex, b.id, false);
    expect(await targets(cache, 'one')).toEqual(['b http://127.0.0.1:9/b2 false']);

    await deleteWebhook(db.knex, b.id);
    expect(await targets(cache, 'one')).toEqual([]);
    await deleteWebhook(db.knex, a.id);
  });

  it("keeps each application's targets to itself", async () => {
    const cache = new TargetCache();
    const one = await hook('one', 'mine');
    const two = await hook('two', 'theirs');
    const byApp = await db.knex.transaction((trx) =>
      subscribedEndpoints(
        trx,
        new Map([
          ['one', ['page.hit']],
          ['two', ['page.hit']],
        ]),
        cache,
      ),
    );
    expect(
      byApp
        .get('one')!
        .get('page.hit')!
        .map((t) => t.webhook.id),
    ).toEqual([one.id]);
    expect(
      byApp
        .get('two')!
        .get('page.hit')!
        .map((t) => t.webhook.id),
    ).toEqual([two.id]);
    await deleteWebhook(db.knex, one.id);
    await deleteWebhook(db.knex, two.id);
  });

  it('does not move the version for a failure streak, only for the failure that disables', async () => {
    const created = await hook('one', 'failing');
    const [endpoint] = await endpointsOfWebhook(db.knex, created.id);
    const before = await version('one');
    const options = { disableLimit: 2, disableNow: false, reason: 'failing' };
    expect((await recordEndpointFailure(db.knex, endpoint!.id, options)).disabled).toBe(false);
    expect(await version('one')).toBe(before);
    expect((await recordEndpointFailure(db.knex, endpoint!.id, options)).disabled).toBe(true);
    expect(await version('one')).not.toBe(before);
    await deleteWebhook(db.knex, created.id);
  });

  it('shows an application created again under an old id none of the old one’s targets', async () => {
    const cache = new TargetCache();
    await createApplication(db.knex, { id: 'again', orgId: 'org', name: 'again', description: null });
    const old = await hook('again', 'old');
    expect(await targets(cache, 'again')).toEqual(['old http://127.0.0.1:9/again/old true']);
    const oldVersion = await version('again');
    await deleteWebhook(db.knex, old.id);
    expect(await deleteApplication(db.knex, 'again')).toBe('deleted');
    expect(await targets(cache, 'again')).toEqual([]);

    await createApplication(db.knex, { id: 'again', orgId: 'org', name: 'again', description: null });
    expect(await version('again')).not.toBe(oldVersion);
    expect(await targets(cache, 'again')).toEqual([]);
  });
});
