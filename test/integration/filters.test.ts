import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

describe('Mattermost-style filters', () => {
  let h: Harness;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
  });
  afterAll(async () => {
    await h.stop();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('delivers only events every condition matches, to each webhook on the channel independently', async () => {
    const [formThree, trigger, both, hasEmail] = await Promise.all([1, 2, 3, 4].map(() => startReceiver()));
    receivers.push(formThree!, trigger!, both!, hasEmail!);
    await createWebhook(h, {
      url: formThree!.url,
      events: ['form.submitted'],
      filter: [{ path: 'payload.form.id', op: 'in', value: [3, 4] }],
    });
    await createWebhook(h, {
      url: trigger!.url,
      events: ['form.submitted'],
      filter: [{ path: 'payload.text', op: 'startsWith', value: 'deploy' }],
    });
    await createWebhook(h, {
      url: both!.url,
      events: ['form.submitted'],
      filter: [
        { path: 'payload.form.id', op: 'eq', value: 3 },
        { path: 'payload.text', op: 'startsWith', value: 'deploy' },
      ],
    });
    await createWebhook(h, {
      url: hasEmail!.url,
      events: ['form.submitted'],
      filter: [{ path: 'payload.contact.email', op: 'exists' }],
    });

    await postEvents(h, [
      { type: 'form.submitted', payload: { n: 1, form: { id: 3 }, text: 'deploy prod' } },
      {
        type: 'form.submitted',
        payload: { n: 2, form: { id: 4 }, text: 'hello', contact: { email: 'a@b.c' } },
      },
      { type: 'form.submitted', payload: { n: 3, form: { id: 9 }, text: 'deploy staging' } },
      { type: 'form.submitted', payload: { n: 4, form: { id: '3' }, text: 'nothing' } },
    ]);
    // Immediate mode: every batch is made in the events' own transaction, so once all that exist
    // are delivered, nothing else will arrive.
    await waitUntil(async () => {
      const batches = await h.db.knex('batches').select('status');
      return batches.length > 0 && batches.every((b: { status: string }) => b.status === 'success');
    });
    const seen = (r: Receiver) =>
      r.requests
        .map((q) => (JSON.parse(q.body) as { 'form.submitted': { n: number }[] })['form.submitted'][0]!.n)
        .sort();
    expect(seen(formThree!)).toEqual([1, 2]);
    expect(seen(trigger!)).toEqual([1, 3]);
    expect(seen(both!)).toEqual([1]);
    expect(seen(hasEmail!)).toEqual([2]);
  });

  it('refuses malformed filters', async () => {
    const res = await h.api('POST', '/v1/webhooks', {
      name: 'x',
      url: 'http://127.0.0.1:9/',
      events: ['form.submitted'],
      filter: [{ path: 'payload.a', op: 'matches', value: '.*' }],
    });
    expect(res.status).toBe(400);
  });
});
