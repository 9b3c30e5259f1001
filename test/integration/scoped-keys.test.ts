import { startHarness, startReceiver, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook } from '../support/fixtures.js';

interface Key {
  key: string;
  eventTypes: string[] | null;
}

describe('API keys scoped to event types (Mix-style permissions)', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
    await h.api('POST', '/v1/event-types', { name: 'deployment.requested' });
    await h.api('POST', '/v1/event-types', { name: 'JOB_START' });
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  const key = async (role: string, eventTypes?: string[]) => {
    const res = await h.api<Key>('POST', '/v1/api-keys', { name: `${role} key`, role, eventTypes });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('a scoped producer may post only its types; the whole request is refused otherwise', async () => {
    const producer = await key('producer', ['deployment.requested', 'mautic.form_on_submit']);
    // Aliases are stored as the types they stand for.
    expect(producer.eventTypes).toEqual(['deployment.requested', 'form.submitted']);
    const ok = await h.api(
      'POST',
      '/v1/events',
      { type: 'deployment.requested', payload: {} },
      { key: producer.key },
    );
    expect(ok.status).toBe(202);
    const before = await h.db.knex('events').count<{ n: string }[]>({ n: '*' });
    const refused = await h.api<{ error: { code: string; details: unknown } }>(
      'POST',
      '/v1/events',
      {
        events: [
          { type: 'form.submitted', payload: {} },
          { type: 'JOB_START', payload: {} },
        ],
      },
      { key: producer.key },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'forbidden',
      details: [{ index: 1, type: 'JOB_START' }],
    });
    expect(await h.db.knex('events').count<{ n: string }[]>({ n: '*' })).toEqual(before);
  });

  it('a scoped viewer sees only webhooks subscribed to its types', async () => {
    const mix = await createWebhook(h, { url: receiver.url, events: ['deployment.requested'] });
    const mitto = await createWebhook(h, { url: receiver.url, events: ['JOB_START'] });
    const viewer = await key('viewer', ['deployment.requested']);
    const list = await h.api<{ id: string }[]>('GET', '/v1/webhooks', undefined, { key: viewer.key });
    expect(list.body.map((w) => w.id)).toEqual([mix.id]);
    expect((await h.api('GET', `/v1/webhooks/${mix.id}`, undefined, { key: viewer.key })).status).toBe(200);
    expect((await h.api('GET', `/v1/webhooks/${mitto.id}`, undefined, { key: viewer.key })).status).toBe(403);
    expect(
      (await h.api('GET', `/v1/webhooks/${mitto.id}/deliveries`, undefined, { key: viewer.key })).status,
    ).toBe(403);
    await h.api('POST', '/v1/events', { type: 'JOB_START', payload: {} });
    const queue = await h.api<{ webhooks: { webhookId: string }[] }>('GET', '/v1/queue', undefined, {
      key: viewer.key,
    });
    expect(queue.body.webhooks.map((w) => w.webhookId)).not.toContain(mitto.id);
    // An unscoped viewer still sees both.
    const all = await key('viewer');
    expect((await h.api<unknown[]>('GET', '/v1/webhooks', undefined, { key: all.key })).body).toHaveLength(2);
  });

  it('refuses unknown types and scoped admin keys', async () => {
    expect(
      (await h.api('POST', '/v1/api-keys', { name: 'x', role: 'producer', eventTypes: ['nope'] })).status,
    ).toBe(422);
    expect(
      (await h.api('POST', '/v1/api-keys', { name: 'x', role: 'admin', eventTypes: ['JOB_START'] })).status,
    ).toBe(400);
  });
});
