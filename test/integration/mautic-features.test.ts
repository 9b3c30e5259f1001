import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';
import { createWebhook, depth, postEvents } from '../support/fixtures.js';

type Log = {
  id: string;
  mode: string;
  status: string;
  statusCode: number | null;
  eventCount: number;
  attempt: number;
};

describe('Mautic features', () => {
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

  it('eventNames "mautic" keys batches by Mautic event names, so Mautic receivers work unchanged', async () => {
    await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted', 'contact.updated'],
      eventNames: 'mautic',
    });
    await postEvents(h, [{ type: 'mautic.form_on_submit', payload: { a: 1 } }]);
    const [req] = await receiver.waitFor(1);
    expect(Object.keys(JSON.parse(req!.body) as object)).toEqual(['mautic.form_on_submit']);
  });

  it('the test endpoint sends a real-shaped, signed sample of each subscribed type and logs it as "test"', async () => {
    const hook = await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted', 'contact.updated', 'page.hit'],
    });
    const res = await h.api<{ delivered: boolean; statusCode: number; durationMs: number }>(
      'POST',
      `/v1/webhooks/${hook.id}/test`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ delivered: true, statusCode: 200 });
    expect(typeof res.body.durationMs).toBe('number');
    const [req] = receiver.requests;
    const body = JSON.parse(req!.body) as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(body)).toEqual(['form.submitted', 'contact.updated', 'page.hit']);
    for (const list of Object.values(body)) {
      expect(list).toHaveLength(1);
      expect(Number.isNaN(Date.parse(list[0]!.timestamp as string))).toBe(false);
      expect(list[0]!.contact).toMatchObject({ email: expect.any(String) });
    }
    expect(req!.headers['webhook-signature']).toBe(independentHmacSha256Base64(hook.secret, req!.raw));
    const logs = await h.api<Log[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(logs.body[0]).toMatchObject({ mode: 'test', status: 'success', eventCount: 3, statusCode: 200 });

    receiver.respondWith(() => ({ status: 500, body: 'nope' }));
    const failed = await h.api<{ delivered: boolean; error: string }>('POST', `/v1/webhooks/${hook.id}/test`);
    expect(failed.body).toMatchObject({ delivered: false, statusCode: 500, error: 'HTTP 500' });
    // A test never counts towards auto-disable.
    expect(
      (await h.api<{ consecutiveFailures: number }>('GET', `/v1/webhooks/${hook.id}`)).body
        .consecutiveFailures,
    ).toBe(0);
  });

  it('disables a webhook after disableLimit consecutive batches failed all their retries, records why, notifies system.webhook_disabled, and enable delivers its backlog', async () => {
    await h.api('PATCH', '/v1/settings', { disableLimit: 3 });
    const failing = await startReceiver(() => ({ status: 503 }));
    const watcher = await startReceiver();
    try {
      await h.startWorker();
      const hook = await createWebhook(h, { url: failing.url, events: ['email.sent'], name: 'flaky' });
      await createWebhook(h, { url: watcher.url, events: ['system.webhook_disabled'] });
      await postEvents(
        h,
        [1, 2, 3].map((n) => ({ type: 'email.sent', payload: { n } })),
      );

      const [notice] = await watcher.waitFor(1, 20_000);
      const body = JSON.parse(notice!.body) as {
        'system.webhook_disabled': { webhook: { id: string }; reason: string }[];
      };
      expect(body['system.webhook_disabled'][0]!.webhook.id).toBe(hook.id);
      expect(body['system.webhook_disabled'][0]!.reason).toMatch(
        /^3 consecutive batches failed after all retries/,
      );
      const disabled = await h.api<{ enabled: boolean; disabledReason: string }>(
        'GET',
        `/v1/webhooks/${hook.id}`,
      );
      expect(disabled.body.enabled).toBe(false);
      expect(disabled.body.disabledReason).toMatch(/\(last: HTTP 503\)/);
      expect(h.logs.some((l) => l.includes('"message":"webhook.disabled"') && l.includes(hook.id))).toBe(
        true,
      );
      // Each of the three batches ran its whole schedule (5 attempts) first.
      expect(failing.requests).toHaveLength(15);

      // Disabled: new events are queued for it (its backlog), and delivered once it is enabled.
      await postEvents(h, [{ type: 'email.sent', payload: { n: 4 } }]);
      expect(await depth(h, hook.id)).toBe(1);
      expect(failing.requests).toHaveLength(15);
      failing.respondWith(() => ({ status: 200 }));
      const enabled = await h.api<{ enabled: boolean; consecutiveFailures: number }>(
        'POST',
        `/v1/webhooks/${hook.id}/enable`,
      );
      expect(enabled.body).toMatchObject({ enabled: true, consecutiveFailures: 0 });
      const delivered = await failing.waitFor(16, 10_000);
      expect(JSON.parse(delivered[15]!.body)).toEqual({
        'email.sent': [expect.objectContaining({ n: 4 })],
      });
      await waitUntil(async () => (await depth(h, hook.id)) === 0);
    } finally {
      await failing.close();
      await watcher.close();
    }
  });

  it('a 410 disables the webhook at once', async () => {
    receiver.respondWith(() => ({ status: 410 }));
    const hook = await createWebhook(h, { url: receiver.url, events: ['email.sent'] });
    await postEvents(h, [{ type: 'email.sent', payload: {} }]);
    await receiver.waitFor(1);
    const got = await waitUntil(async () => {
      const res = await h.api<{ enabled: boolean; disabledReason: string }>('GET', `/v1/webhooks/${hook.id}`);
      return res.body.enabled ? undefined : res.body;
    });
    expect(got.disabledReason).toBe('receiver answered 410 Gone');
  });

  it('keeps at most logMax delivery log rows per webhook, newest first, with paging', async () => {
    await h.api('PATCH', '/v1/settings', { logMax: 5 });
    const hook = await createWebhook(h, { url: receiver.url, events: ['page.hit'] });
    const other = await createWebhook(h, { url: receiver.url, events: ['page.hit'] });
    for (let n = 0; n < 8; n++) await postEvents(h, [{ type: 'page.hit', payload: { n } }]);
    await receiver.waitFor(16);
    const logs = await waitUntil(async () => {
      const res = await h.api<Log[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
      return res.body.length === 5 ? res.body : undefined;
    });
    expect(logs.map((l) => Number(l.id))).toEqual([...logs.map((l) => Number(l.id))].sort((a, b) => b - a));
    const page = await h.api<Log[]>(
      'GET',
      `/v1/webhooks/${hook.id}/deliveries?limit=2&before=${logs[1]!.id}`,
    );
    expect(page.body.map((l) => l.id)).toEqual([logs[2]!.id, logs[3]!.id]);
    expect((await h.api<Log[]>('GET', `/v1/webhooks/${other.id}/deliveries`)).body).toHaveLength(5);
    expect((await h.api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=0`)).status).toBe(400);
  });
});
