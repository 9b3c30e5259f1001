import { Webhook as StandardWebhook } from 'standardwebhooks';
import {
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  ofWebhook,
} from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';
import { createWebhook, postEvents } from '../support/fixtures.js';

describe('signatures, rotation and redelivery', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeEach(async () => {
    h = await startHarness({
      settings: { queueMode: 'immediate' },
      retryPolicy: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 2 },
    });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.stop();
    await receiver.close();
  });

  it('signature "standard" sends Standard Webhooks headers that the standardwebhooks package verifies', async () => {
    const hook = await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      signature: 'standard',
    });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await postEvents(h, [{ type: 'form.submitted', payload: { a: 1 } }]);
    const [req] = await receiver.waitFor(1);
    expect(req!.headers['webhook-id']).toBe(req!.headers['x-hookline-delivery']);
    expect(req!.headers['webhook-signature']).toMatch(/^v1,/);
    const verified = new StandardWebhook(hook.secret).verify(
      req!.body,
      req!.headers as Record<string, string>,
    );
    expect(verified).toEqual(JSON.parse(req!.body));
    expect(() =>
      new StandardWebhook(hook.secret).verify(`${req!.body} `, req!.headers as Record<string, string>),
    ).toThrow();
    const badSecret = await h.api('POST', '/v1/webhooks', {
      name: 'x',
      url: receiver.url,
      events: ['form.submitted'],
      signature: 'standard',
      secret: 'plain-secret-of-enough-length',
    });
    expect(badSecret.status).toBe(400);
  });

  it('after rotate-secret, Webhook-Signature is one HMAC with the old secret and Webhook-Signature-Next carries the new one, for 24 h', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
    const rotated = await h.api<{ secret: string; previousSecretExpiresAt: string }>(
      'POST',
      `/v1/webhooks/${hook.id}/rotate-secret`,
    );
    expect(rotated.body.secret).not.toBe(hook.secret);
    const grace = Date.parse(rotated.body.previousSecretExpiresAt) - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);

    await postEvents(h, [{ type: 'form.submitted', payload: {} }]);
    const [req] = await receiver.waitFor(1);
    // Exactly one base64 HMAC, so a receiver comparing the whole header (Mautic's way) still verifies.
    expect(req!.headers['webhook-signature']).toBe(independentHmacSha256Base64(hook.secret, req!.raw));
    expect(req!.headers['webhook-signature-next']).toBe(
      independentHmacSha256Base64(rotated.body.secret, req!.raw),
    );

    // Once the grace period is over only the new secret signs.
    await h.db
      .knex('webhooks')
      .where({ id: hook.id })
      .update({ previous_secret_expires_at: h.db.knex.raw("now() - interval '1 second'") });
    await postEvents(h, [{ type: 'form.submitted', payload: {} }]);
    const [, second] = await receiver.waitFor(2);
    expect(second!.headers['webhook-signature']).toBe(
      independentHmacSha256Base64(rotated.body.secret, second!.raw),
    );
    expect(second!.headers['webhook-signature-next']).toBeUndefined();
  });

  it('standard rotation lists two v1 signatures, each verifiable', async () => {
    const hook = await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      signature: 'standard',
    });
    const rotated = await h.api<{ secret: string }>('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    await postEvents(h, [{ type: 'form.submitted', payload: {} }]);
    const [req] = await receiver.waitFor(1);
    expect((req!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, rotated.body.secret]) {
      expect(() =>
        new StandardWebhook(secret).verify(req!.body, req!.headers as Record<string, string>),
      ).not.toThrow();
    }
  });

  it('a batch that failed for good is visible and redeliverable as the same delivery', async () => {
    receiver.respondWith(() => ({ status: 500 }));
    const hook = await createWebhook(h, { url: receiver.url, events: ['form.submitted'] });
    await postEvents(h, [{ type: 'form.submitted', payload: { keep: 'me' } }]);
    await h.startWorker();
    type Log = { id: string; status: string; attempt: number; mode: string };
    const logs = await waitUntil(async () => {
      const res = await h.api<Log[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
      return res.body.length === 2 ? res.body : undefined;
    }, 20_000); // the worker's retry: a cron tick, a drain job, a send; slow when CI's cores are busy
    expect(logs.map((l) => [l.status, l.attempt])).toEqual([
      ['failed', 2],
      ['failed', 1],
    ]);
    const batch = await ofWebhook(h.db.knex, 'batches', hook.id).first();
    expect(batch.status).toBe('failed');

    receiver.respondWith(() => ({ status: 200 }));
    const res = await h.api<{ delivered: boolean; deliveryId: string }>(
      'POST',
      `/v1/deliveries/${logs[0]!.id}/redeliver`,
    );
    expect(res.body).toMatchObject({ delivered: true, deliveryId: batch.id, statusCode: 200 });
    const last = receiver.requests.at(-1)!;
    expect(last.body).toBe(receiver.requests[0]!.body);
    expect(last.headers['x-hookline-delivery']).toBe(batch.id);
    expect((await h.db.knex('batches').where({ id: batch.id }).first()).status).toBe('success');
    const after = await h.api<Log[]>('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(after.body[0]).toMatchObject({ mode: 'redeliver', status: 'success' });
    expect((await h.api('POST', '/v1/deliveries/999999/redeliver')).status).toBe(404);
  });
});
