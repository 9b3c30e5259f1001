import { createApiKey, startSettingsCache } from '@hookline/db';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, depth, postEvents } from '../support/fixtures.js';

describe('API', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  it('serves health and readiness', async () => {
    expect((await h.api('GET', '/healthz', undefined, { key: null })).status).toBe(200);
    const ready = await h.api('GET', '/readyz', undefined, { key: null });
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', postgres: 'ok', redis: 'ok' } });
  });

  it('lists the event catalogue with Mautic names', async () => {
    const res = await h.api<{ name: string; mauticName: string; description: string }[]>(
      'GET',
      '/v1/event-types',
    );
    expect(res.body).toHaveLength(14);
    expect(res.body).toContainEqual(
      expect.objectContaining({ name: 'form.submitted', mauticName: 'mautic.form_on_submit' }),
    );
  });

  it('creates a webhook with a generated 32-byte hex secret and the documented defaults', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['page.hit'] });
    expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(hook).toMatchObject({
      enabled: true,
      method: 'POST',
      contentType: 'application/json',
      order: null,
      signature: 'mautic',
      eventNames: 'native',
      events: ['page.hit'],
    });
    const got = await h.api('GET', `/v1/webhooks/${hook.id}`);
    expect(got.body).toEqual(hook);
  });

  it('patches, disables, re-enables and deletes a webhook, dropping its queued events', async () => {
    const hook = await createWebhook(h, {
      url: receiver.url,
      events: ['page.hit'],
      secret: 'a-secret-of-16-chars',
    });
    const patched = await h.api<{ name: string; order: string; enabled: boolean }>(
      'PATCH',
      `/v1/webhooks/${hook.id}`,
      {
        name: 'renamed',
        order: 'reverse',
        enabled: false,
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'renamed', order: 'reverse', enabled: false });
    const enabled = await h.api<{ enabled: boolean }>('POST', `/v1/webhooks/${hook.id}/enable`);
    expect(enabled.body.enabled).toBe(true);

    await postEvents(h, [{ type: 'page.hit', payload: { url: '/' } }]);
    expect(await depth(h, hook.id)).toBe(1);
    expect((await h.api('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(204);
    expect(await depth(h, hook.id)).toBe(0);
    expect((await h.api('GET', `/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect(h.logs.some((l) => l.includes('"droppedQueuedEvents":1'))).toBe(true);
  });

  it('accepts a repeated idempotency key as a duplicate and queues the event once', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['sms.sent'] });
    const first = await postEvents(h, [{ type: 'sms.sent', id: 'sms-1', payload: {} }]);
    const again = await postEvents(h, [
      { type: 'sms.sent', id: 'sms-1', payload: {} },
      { type: 'mautic.sms_on_send', id: 'sms-2', payload: {} },
    ]);
    expect(first.events[0]).toMatchObject({ type: 'sms.sent', duplicate: false });
    expect(again.accepted).toBe(2);
    expect(again.events[0]).toEqual({ id: first.events[0]!.id, type: 'sms.sent', duplicate: true });
    expect(again.events[1]).toMatchObject({ type: 'sms.sent', duplicate: false });
    expect(await depth(h, hook.id)).toBe(2);
  });

  it('enforces roles: producers post events only, viewers read with secrets redacted', async () => {
    const producer = await createApiKey(h.db.knex, 'producer', 'producer');
    const viewer = await createApiKey(h.db.knex, 'viewer', 'viewer');
    const hook = await createWebhook(h, { url: receiver.url, events: ['email.sent'] });

    const posted = await h.api(
      'POST',
      '/v1/events',
      { type: 'email.sent', payload: {} },
      { key: producer.key },
    );
    expect(posted.status).toBe(202);
    expect((await h.api('GET', '/v1/webhooks', undefined, { key: producer.key })).status).toBe(403);
    expect(
      (await h.api('POST', '/v1/events', { type: 'email.sent', payload: {} }, { key: viewer.key })).status,
    ).toBe(403);
    expect((await h.api('PATCH', '/v1/settings', { batchLimit: 5 }, { key: viewer.key })).status).toBe(403);
    const seen = await h.api<{ secret: string }>('GET', `/v1/webhooks/${hook.id}`, undefined, {
      key: viewer.key,
    });
    expect(seen.body.secret).toBe('[redacted]');
    const keys = await h.db.knex('api_keys').select('key_hash');
    expect(JSON.stringify(keys)).not.toContain(producer.key);
  });

  it('a settings change reaches another running process within 2 s, without a restart', async () => {
    const otherProcess = await startSettingsCache(h.db.knex); // default 1 s poll, as apps use
    try {
      const started = Date.now();
      const res = await h.api('PATCH', '/v1/settings', { batchLimit: 77, order: 'reverse' });
      expect(res.body).toMatchObject({
        batchLimit: 77,
        order: 'reverse',
        queueMode: 'queue',
        timeoutMs: 15000,
      });
      await waitUntil(() => otherProcess.current().batchLimit === 77, 2000, 10);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      otherProcess.stop();
    }
  });
});
