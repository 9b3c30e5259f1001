import {
  startHarness,
  startReceiver,
  TEST_ADMIN_KEY,
  waitUntil,
  type Harness,
  type Receiver,
} from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';
import { createWebhook, postEvents } from '../support/fixtures.js';

describe('Mitto features', () => {
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

  const event = {
    type: 'form.submitted',
    payload: { contact: { email: 'ada@example.com', tags: ['a', 'b'] }, msg: 'hi & bye' },
  };

  it('GET sends the batch as the query string and signs it', async () => {
    const hook = await createWebhook(h, {
      url: `${receiver.url}?source=crm`,
      events: ['form.submitted'],
      method: 'GET',
    });
    await postEvents(h, [event]);
    const [req] = await receiver.waitFor(1);
    expect(req!.method).toBe('GET');
    expect(req!.raw).toHaveLength(0);
    const query = new URL(req!.url, 'http://x').searchParams;
    expect(query.get('source')).toBe('crm');
    const payload = query.get('payload')!;
    expect(JSON.parse(payload)['form.submitted'][0].contact.email).toBe('ada@example.com');
    expect(req!.headers['webhook-signature']).toBe(
      independentHmacSha256Base64(hook.secret, Buffer.from(payload)),
    );
  });

  it('application/x-www-form-urlencoded encodes nested data with PHP brackets', async () => {
    const hook = await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      contentType: 'application/x-www-form-urlencoded',
    });
    await postEvents(h, [event]);
    const [req] = await receiver.waitFor(1);
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req!.body);
    expect(form.get('form.submitted[0][contact][email]')).toBe('ada@example.com');
    expect(form.get('form.submitted[0][contact][tags][1]')).toBe('b');
    expect(form.get('form.submitted[0][msg]')).toBe('hi & bye');
    expect(req!.headers['webhook-signature']).toBe(independentHmacSha256Base64(hook.secret, req!.raw));
  });

  it('text/plain with a template renders event, webhook and system values, escaped, never run as code', async () => {
    await createWebhook(h, {
      name: 'Slack-ish',
      url: receiver.url,
      events: ['form.submitted'],
      contentType: 'text/plain',
      bodyTemplate:
        "New lead ${event['payload']['contact']['email']} via ${webhook['name']} on ${system['fqdn']}; ${process.exit(1)}",
    });
    await postEvents(h, [event]);
    const [req] = await receiver.waitFor(1);
    expect(req!.headers['content-type']).toBe('text/plain');
    expect(req!.body).toMatch(/^New lead ada@example.com via Slack-ish on \S+; \$\{process\.exit\(1\)\}$/);
  });

  it('a JSON template escapes values for JSON and can embed the whole batch', async () => {
    await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      bodyTemplate: `{"text":"\${event['payload']['msg']} \\"quoted\\"","email":"\${event['payload']['contact']['email']}","batch":\${events}}`,
    });
    await postEvents(h, [
      { type: 'form.submitted', payload: { msg: 'say "hi"\n', contact: { email: 'x@y.z' } } },
    ]);
    const [req] = await receiver.waitFor(1);
    const body = JSON.parse(req!.body) as { text: string; email: string; batch: Record<string, unknown[]> };
    expect(body.text).toBe('say "hi"\n "quoted"');
    expect(body.email).toBe('x@y.z');
    expect(body.batch['form.submitted']).toHaveLength(1);
  });

  it('a template that reads one event gets one event per request in queue mode', async () => {
    await h.api('PATCH', '/v1/settings', { queueMode: 'queue' });
    await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      bodyTemplate: "${event['payload']['n']}",
      contentType: 'text/plain',
    });
    await postEvents(
      h,
      [1, 2, 3].map((n) => ({ type: 'form.submitted', payload: { n } })),
    );
    await h.startWorker();
    const requests = await receiver.waitFor(3);
    expect(requests.map((r) => r.body)).toEqual(['1', '2', '3']);
  });

  it('custom headers are sent; ours cannot be overridden', async () => {
    await createWebhook(h, {
      url: receiver.url,
      events: ['form.submitted'],
      headers: { 'X-Api-Token': 't0k3n' },
    });
    const reserved = await h.api('POST', '/v1/webhooks', {
      name: 'x',
      url: receiver.url,
      events: ['form.submitted'],
      headers: { 'Webhook-Signature': 'forged' },
    });
    expect(reserved.status).toBe(400);
    await postEvents(h, [event]);
    const [req] = await receiver.waitFor(1);
    expect(req!.headers['x-api-token']).toBe('t0k3n');
  });

  it('a webhook may target Hookline itself (chaining); loops stop after 5 hops', async () => {
    // Every form.submitted event is posted back into Hookline as a new form.submitted event.
    const chain = await createWebhook(h, {
      name: 'loop',
      url: `${h.baseUrl}/v1/events`,
      events: ['form.submitted'],
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
      bodyTemplate: `{"type":"form.submitted","payload":{"hop":"\${event['id']}"}}`,
    });
    await postEvents(h, [{ type: 'form.submitted', payload: { hop: 'origin' } }]);
    const logs = await waitUntil(async () => {
      const res = await h.api<{ status: string; statusCode: number }[]>(
        'GET',
        `/v1/webhooks/${chain.id}/deliveries`,
      );
      return res.body.some((l) => l.statusCode === 422) ? res.body : undefined;
    });
    // The 422 ended the chain: the sixth copy was refused, so the stored events are final.
    const events = await h.db.knex('events').select('hops').orderBy('id');
    // The original (0 hops) and five chained copies (1..5); the sixth hop was refused.
    expect(events.map((e: { hops: number }) => e.hops)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(logs.filter((l) => l.status === 'success')).toHaveLength(5);
    const refused = await h.api('POST', '/v1/events', event, { headers: { 'x-hookline-hops': '6' } });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'hop_limit_exceeded' } } });
  });
});
