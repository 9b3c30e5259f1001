import { readFile } from 'node:fs/promises';
import { startCatalogueCache } from '@hookline/db';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const eventCount = async (h: Harness) =>
  Number((await h.db.knex('events').count<{ n: string }[]>({ n: '*' }))[0]!.n);

describe('event types as data', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it('lists the 14 built-in Mautic types, which cannot be deleted', async () => {
    const res = await h.api<{ name: string; builtIn: boolean; archived: boolean; mauticName: string }[]>(
      'GET',
      '/v1/event-types',
    );
    expect(res.body).toHaveLength(14);
    expect(res.body.every((t) => t.builtIn && !t.archived)).toBe(true);
    const del = await h.api<ErrorBody>('DELETE', '/v1/event-types/form.submitted');
    expect(del.status).toBe(409);
    expect(del.body.error.code).toBe('conflict');
  });

  it('a custom type with a schema takes valid payloads and refuses invalid ones with every ajv error, storing nothing', async () => {
    const created = await h.api('POST', '/v1/event-types', {
      name: 'JOB_FAILURE',
      description: 'A Mitto job failed',
      schema: {
        type: 'object',
        required: ['job'],
        properties: {
          job: {
            type: 'object',
            required: ['id', 'title'],
            properties: { id: { type: 'integer' }, title: { type: 'string' } },
          },
        },
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'JOB_FAILURE', builtIn: false, archived: false },
    });
    await createWebhook(h, { url: receiver.url, events: ['JOB_FAILURE'] });

    const before = await eventCount(h);
    const bad = await h.api<ErrorBody>('POST', '/v1/events', {
      events: [
        { type: 'JOB_FAILURE', payload: { job: { id: 1, title: 'fine' } } },
        { type: 'JOB_FAILURE', payload: { job: { id: 'seven' } } },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_payload');
    expect(bad.body.error.details).toEqual([
      { index: 1, path: '/job', message: "must have required property 'title'" },
      { index: 1, path: '/job/id', message: 'must be integer' },
    ]);
    // Nothing of the request is stored, not even its valid event.
    expect(await eventCount(h)).toBe(before);

    await postEvents(h, [{ type: 'JOB_FAILURE', payload: { job: { id: 22739, title: 'Webhooks!' } } }]);
    const [req] = await receiver.waitFor(1);
    expect(JSON.parse(req!.body).JOB_FAILURE[0].job.title).toBe('Webhooks!');
  });

  it('a schema change applies to the next event (compiled once per version)', async () => {
    await h.api('POST', '/v1/event-types', { name: 'deploy.requested', schema: { type: 'object' } });
    const ok = await h.api('POST', '/v1/events', { type: 'deploy.requested', payload: { env: 'qa' } });
    expect(ok.status).toBe(202);
    const patched = await h.api('PATCH', '/v1/event-types/deploy.requested', {
      schema: { type: 'object', required: ['deploymentId'] },
    });
    expect(patched.status).toBe(200);
    const refused = await h.api<ErrorBody>('POST', '/v1/events', {
      type: 'deploy.requested',
      payload: { env: 'qa' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      { index: 0, path: '', message: "must have required property 'deploymentId'" },
    ]);
  });

  it('refuses bad names, schemas that do not compile, and names or aliases already taken', async () => {
    const badName = await h.api<ErrorBody>('POST', '/v1/event-types', { name: 'has space' });
    expect(badName.status).toBe(400);
    const badSchema = await h.api<ErrorBody>('POST', '/v1/event-types', {
      name: 'x.y',
      schema: { type: 'no-such-type' },
    });
    expect(badSchema.status).toBe(400);
    expect(badSchema.body.error.message).toContain('schema does not compile');
    const taken = await h.api<ErrorBody>('POST', '/v1/event-types', { name: 'mautic.form_on_submit' });
    expect(taken.status).toBe(409);
    const system = await h.api<ErrorBody>('POST', '/v1/event-types', { name: 'system.anything' });
    expect(system.status).toBe(400);
  });

  it('an alias resolves to its type at ingest', async () => {
    await h.api('POST', '/v1/event-types', {
      name: 'deployment.approved',
      mauticName: 'mix.deployment_approved',
    });
    await createWebhook(h, { url: receiver.url, events: ['deployment.approved'] });
    const res = await postEvents(h, [{ type: 'mix.deployment_approved', payload: { id: 1 } }]);
    expect(res.accepted).toBe(1);
    const [req] = await receiver.waitFor(1);
    expect(Object.keys(JSON.parse(req!.body))).toEqual(['deployment.approved']);
  });

  it('archiving refuses new events (422) but keeps subscriptions and history; restoring takes them again', async () => {
    await h.api('POST', '/v1/event-types', { name: 'JOB_START' });
    const hook = await createWebhook(h, { url: receiver.url, events: ['JOB_START', 'page.hit'] });
    await postEvents(h, [{ type: 'JOB_START', payload: { n: 1 } }]);
    await receiver.waitFor(1);

    expect((await h.api('PATCH', '/v1/event-types/JOB_START', { archived: true })).status).toBe(200);
    const refused = await h.api<ErrorBody>('POST', '/v1/events', { type: 'JOB_START', payload: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('event_type_archived');
    // The subscription stays, and may be kept in an edit, but no new webhook may take the type.
    const kept = await h.api<{ events: string[] }>('PATCH', `/v1/webhooks/${hook.id}`, {
      events: ['JOB_START', 'page.hit'],
    });
    expect(kept.body.events).toEqual(['JOB_START', 'page.hit']);
    const fresh = await h.api<ErrorBody>('POST', '/v1/webhooks', {
      name: 'new',
      url: receiver.url,
      events: ['JOB_START'],
    });
    expect(fresh.status).toBe(422);
    // History stays.
    expect(await h.db.knex('events').where({ type: 'JOB_START' }).count<{ n: string }[]>({ n: '*' })).toEqual(
      [{ n: '1' }],
    );

    await h.api('PATCH', '/v1/event-types/JOB_START', { archived: false });
    await postEvents(h, [{ type: 'JOB_START', payload: { n: 2 } }]);
    await receiver.waitFor(2);
  });

  it('deletes an unused custom type (204) but not a subscribed one (409)', async () => {
    await h.api('POST', '/v1/event-types', { name: 'tmp.one' });
    await h.api('POST', '/v1/event-types', { name: 'tmp.two' });
    await createWebhook(h, { url: receiver.url, events: ['tmp.two'] });
    expect((await h.api('DELETE', '/v1/event-types/tmp.one')).status).toBe(204);
    expect((await h.api('DELETE', '/v1/event-types/tmp.one')).status).toBe(404);
    expect((await h.api('DELETE', '/v1/event-types/tmp.two')).status).toBe(409);
    const names = (await h.api<{ name: string }[]>('GET', '/v1/event-types')).body.map((t) => t.name);
    expect(names).toContain('tmp.two');
    expect(names).not.toContain('tmp.one');
  });

  it('a type added in one process reaches another process without a restart', async () => {
    // Another process's view: its own catalogue cache on the same database, polling as apps do.
    const other = await startCatalogueCache(h.db.knex, { refreshMs: 1000 });
    try {
      expect(other.current().resolve('message.posted')).toBeUndefined();
      await h.api('POST', '/v1/event-types', { name: 'message.posted' });
      await waitUntil(() => other.current().resolve('message.posted') === 'message.posted');
      await h.api('PATCH', '/v1/event-types/message.posted', { archived: true });
      await waitUntil(() => other.current().resolve('message.posted') === undefined);
    } finally {
      other.stop();
    }
  });

  it('the shipped catalogues are valid files whose schemas the API accepts', async () => {
    for (const name of ['mitto', 'mix', 'mattermost']) {
      const file = JSON.parse(await readFile(`catalogues/${name}.json`, 'utf8')) as {
        eventTypes: Record<string, unknown>[];
      };
      for (const type of file.eventTypes) {
        const res = await h.api('POST', '/v1/event-types', type);
        expect({ name: type.name, status: res.status }).toEqual({ name: type.name, status: 201 });
      }
    }
    const deploy = await h.api('POST', '/v1/events', {
      type: 'mix.deployment.requested',
      payload: { appConfig: { appId: 'A', tag: 'T' }, environment: { name: 'prod' }, deploymentId: '57' },
    });
    expect(deploy.status).toBe(202);
  });
});
