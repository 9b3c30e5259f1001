import { readFile } from 'node:fs/promises';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

interface Delivery {
  status: string;
  error: string | null;
}

/** The Mattermost catalogue shipped with the project, created through the API. */
async function importMattermost(h: Harness): Promise<void> {
  const file = JSON.parse(await readFile('catalogues/mattermost.json', 'utf8')) as {
    eventTypes: Record<string, unknown>[];
  };
  for (const type of file.eventTypes) {
    const res = await h.api('POST', '/v1/event-types', type);
    if (res.status !== 201) throw new Error(`event type not created: ${JSON.stringify(res.body)}`);
  }
}

const message = (text: string, channel = 'town-square') => ({
  type: 'message.posted',
  payload: {
    channel_id: 'c1',
    channel_name: channel,
    team_domain: 'acme',
    team_id: 't1',
    post_id: `p-${text}`,
    text,
    timestamp: 1764547200000,
    user_id: 'u1',
    user_name: 'ada',
  },
});

const items = (body: string) =>
  (JSON.parse(body) as Record<string, Record<string, unknown>[]>)['message.posted']!;

describe('Mattermost outgoing webhooks', () => {
  let h: Harness;
  let bot: Receiver;
  let chat: Receiver;

  beforeEach(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    bot = await startReceiver();
    chat = await startReceiver();
    await importMattermost(h);
  });
  afterEach(async () => {
    await h.stop();
    await bot.close();
    await chat.close();
  });

  it('exact trigger words: only a first word equal to one of them matches, in the right channel; trigger_word and token are delivered', async () => {
    await createWebhook(h, {
      url: bot.url,
      events: ['message.posted'],
      trigger: { words: ['#build', '#deploy'], when: 'exact' },
      filter: [{ path: 'payload.channel_name', op: 'eq', value: 'town-square' }],
      token: 'mm-token-1',
    });
    await postEvents(h, [
      message('#buildx now'),
      message('hello #build'),
      message('#deploy prod', 'off-topic'),
      message('#build now'),
      message('  #deploy prod'),
    ]);
    const got = await bot.waitFor(2);
    const delivered = got.flatMap((r) => items(r.body));
    expect(delivered.map((d) => [d.text, d.trigger_word, d.token]).sort()).toEqual([
      ['  #deploy prod', '#deploy', 'mm-token-1'],
      ['#build now', '#build', 'mm-token-1'],
    ]);
    // The three others never matched: nothing was queued or made for them.
    const batches = await h.db.knex('batches').count<{ n: string }[]>({ n: '*' });
    expect(batches).toEqual([{ n: '2' }]);
  });

  it('startsWith trigger words match a first word that begins with one of them', async () => {
    await createWebhook(h, {
      url: bot.url,
      events: ['message.posted'],
      trigger: { words: ['#build'], when: 'startsWith' },
    });
    await postEvents(h, [message('#buildx now'), message('hello #build')]);
    const [req] = await bot.waitFor(1);
    expect(items(req!.body)[0]).toMatchObject({ text: '#buildx now', trigger_word: '#build' });
    expect(await h.db.knex('batches').count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '1' }]);
  });

  it('any-of filter groups: an event passes when one AND-group holds', async () => {
    await createWebhook(h, {
      url: bot.url,
      events: ['message.posted'],
      filter: {
        any: [
          [{ path: 'payload.channel_name', op: 'eq', value: 'town-square' }],
          [
            { path: 'payload.channel_name', op: 'eq', value: 'ops' },
            { path: 'payload.user_name', op: 'in', value: ['grace', 'ada'] },
          ],
        ],
      },
    });
    await postEvents(h, [message('a', 'off-topic'), message('b', 'ops'), message('c', 'town-square')]);
    const got = await bot.waitFor(2);
    expect(
      got
        .flatMap((r) => items(r.body))
        .map((d) => d.text)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(await h.db.knex('batches').count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it("a receiver's JSON reply becomes a message.reply event that another webhook delivers", async () => {
    bot.respondWith(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Building main…', response_type: 'comment', username: 'buildbot' }),
    }));
    await createWebhook(h, {
      url: bot.url,
      events: ['message.posted'],
      trigger: { words: ['#build'], when: 'exact' },
      replyEventType: 'message.reply',
    });
    await createWebhook(h, { url: chat.url, events: ['message.reply'] });
    const posted = await postEvents(h, [message('#build main')]);
    const [req] = await chat.waitFor(1);
    const reply = (JSON.parse(req!.body) as Record<string, Record<string, unknown>[]>)['message.reply']![0]!;
    expect(reply).toMatchObject({
      text: 'Building main…',
      response_type: 'comment',
      username: 'buildbot',
      inReplyTo: { id: posted.events[0]!.id, type: 'message.posted' },
    });
    // The reply is one hop further than the message (hops 1), and its delivery is one more.
    expect(req!.headers['x-hookline-hops']).toBe('2');
  });

  it('replies that loop stop at the hop limit, and the delivery log says so', async () => {
    bot.respondWith(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"text":"again"}',
    }));
    await h.api('POST', '/v1/event-types', { name: 'ping' });
    const hook = await createWebhook(h, { url: bot.url, events: ['ping'], replyEventType: 'ping' });
    await postEvents(h, [{ type: 'ping', payload: {} }]);
    const warning = await waitUntil(async () => {
      const logs = (await h.api<Delivery[]>('GET', `/v1/webhooks/${hook.id}/deliveries?limit=50`)).body;
      return logs.find((l) => l.status === 'warning');
    });
    expect(warning.error).toMatch(/reply not recorded: it would make 6 hops \(limit 5\)/);
    // The first event and five replies, hops 0 to 5; nothing after.
    const hops = await h.db.knex('events').where({ type: 'ping' }).orderBy('id').pluck('hops');
    expect(hops).toEqual([0, 1, 2, 3, 4, 5]);
    expect(bot.requests).toHaveLength(6);
  });

  it("a reply goes through the checks a producer's event does: past HOOKLINE_MAX_DEPTH it is refused and logged", async () => {
    const strict = await startHarness({
      settings: { queueMode: 'immediate' },
      payloadLimits: { maxDepth: 8, maxKeys: 10_000 },
    });
    try {
      await importMattermost(strict);
      const nested = (levels: number): unknown => (levels === 1 ? { a: 1 } : { a: nested(levels - 1) });
      // A producer's event 10 levels deep is refused by the configured limit...
      const posted = await strict.api<{ error: { code: string } }>('POST', '/v1/events', {
        type: 'message.posted',
        payload: nested(10),
      });
      expect(posted.status).toBe(400);
      expect(posted.body.error.code).toBe('payload_too_complex');
      // ...and so is a receiver's reply as deep.
      bot.respondWith(() => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(nested(10)),
      }));
      const hook = await createWebhook(strict, {
        url: bot.url,
        events: ['message.posted'],
        replyEventType: 'message.reply',
      });
      await postEvents(strict, [message('deep')]);
      const warning = await waitUntil(async () => {
        const logs = (await strict.api<Delivery[]>('GET', `/v1/webhooks/${hook.id}/deliveries?limit=50`))
          .body;
        return logs.find((l) => l.status === 'warning');
      });
      expect(warning.error).toMatch(
        /^reply not recorded: the reply: the payload nests deeper than 8 levels \(HOOKLINE_MAX_DEPTH=8,/,
      );
      const replies = await strict.db
        .knex('events')
        .where({ type: 'message.reply' })
        .count<{ n: string }[]>({ n: '*' });
      expect(replies).toEqual([{ n: '0' }]);
    } finally {
      await strict.stop();
    }
  });

  it('a template reference that finds nothing renders empty and is reported once in the delivery log', async () => {
    const hook = await createWebhook(h, {
      url: bot.url,
      events: ['message.posted'],
      bodyTemplate: '{"text":"${user_name} said ${text} in ${channel[\'name\']}${nope[\'x\']}"}',
    });
    const done = await createWebhook(h, {
      url: chat.url,
      events: ['message.posted'],
      bodyTemplate: '{"who":"${user_name[\'x\']}"}',
    });
    await postEvents(h, [message('hi')]);
    const [req] = await bot.waitFor(1);
    // `${user_name}` has no key path: not a reference, so it stays text (nothing is ever evaluated).
    expect(JSON.parse(req!.body)).toEqual({ text: '${user_name} said ${text} in ' });
    const logs = await waitUntil(async () => {
      const all = (await h.api<Delivery[]>('GET', `/v1/webhooks/${hook.id}/deliveries`)).body;
      return all.length === 2 ? all : undefined;
    });
    expect(logs.map((l) => l.status).sort()).toEqual(['success', 'warning']);
    expect(logs.find((l) => l.status === 'warning')!.error).toBe(
      "template: nothing found for ${channel['name']}, ${nope['x']} (rendered as empty text)",
    );
    await chat.waitFor(1);
    expect(JSON.parse(chat.requests[0]!.body)).toEqual({ who: '' });
    expect(done.id).toBeDefined();
  });
});
