import fc from 'fast-check';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { APPS, expected, outcomeOf, type AppId, type Rule, type Target } from '../support/tenancy-rules.js';
import { createWorld, type World } from '../support/tenancy-world.js';

// Tenancy as a property: random sequences of creates, posts, reads, changes and lists, by random
// callers on random applications, never let a caller read or change what it may not (each answer
// is the contract's, support/tenancy-rules.ts), and never deliver an event outside the
// application it was posted to.

type Command = {
  op: 'create' | 'post' | 'read' | 'patch' | 'list';
  who: number;
  app: AppId;
  /** Which created webhook a read or patch names (any application's). */
  hook: number;
};

const RULE_OF: Record<Command['op'], Rule> = {
  create: 'change',
  post: 'post',
  read: 'view',
  patch: 'change',
  list: 'view',
};

describe('tenancy property: random callers, random applications', () => {
  let h: Harness;
  let receiver: Receiver;
  let world: World;
  /** Webhooks created so far, with their application: the model. */
  const created: { id: string; app: AppId }[] = [];
  /** Deliveries the model expects: one per event and webhook of its application at posting time. */
  let expectedDeliveries = 0;
  let seq = 0;
  /** What each operation answered, over all runs: the property is not vacuous. */
  const seen = new Set<string>();

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
    world = await createWorld(h);
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  /** Runs one command; returns a mismatch with the contract, or undefined. */
  async function run(c: Command): Promise<string | undefined> {
    const { name, p, key } = world.principals[c.who % world.principals.length]!;
    const base = `/v1/apps/${c.app}`;
    let target: Target = { app: c.app };
    let res: { status: number; body: unknown };
    if (c.op === 'create') {
      res = await h.api<{ id: string }>(
        'POST',
        `${base}/webhooks`,
        {
          name: 'prop',
          url: `${receiver.url}/${c.app}`,
          events: ['page.hit'],
        },
        { key },
      );
      if (res.status === 201) created.push({ id: (res.body as { id: string }).id, app: c.app });
    } else if (c.op === 'post') {
      const n = ++seq;
      // Counted before the request: an immediate delivery may arrive before the reply.
      const fanOut = created.filter((w) => w.app === c.app).length;
      res = await h.api('POST', `${base}/events`, { type: 'page.hit', payload: { app: c.app, n } }, { key });
      if (res.status === 202) expectedDeliveries += fanOut;
    } else if (c.op === 'list') {
      res = await h.api<{ id: string }[]>('GET', `${base}/webhooks`, undefined, { key });
      if (res.status === 200) {
        const listed = (res.body as { id: string }[]).map((w) => w.id).sort();
        const own = created
          .filter((w) => w.app === c.app)
          .map((w) => w.id)
          .sort();
        if (JSON.stringify(listed) !== JSON.stringify(own))
          return `${name} listed ${c.app}'s webhooks as ${listed.length} ids, the model has ${own.length}`;
      }
    } else {
      if (created.length === 0) return undefined;
      const hook = created[c.hook % created.length]!;
      target = { app: c.app, owner: hook.app };
      const path = `${base}/webhooks/${hook.id}`;
      res =
        c.op === 'read'
          ? await h.api('GET', path, undefined, { key })
          : await h.api('PATCH', path, { description: `by ${name}` }, { key });
    }
    const want = expected(RULE_OF[c.op], p, target);
    const got = outcomeOf(res.status);
    seen.add(`${c.op} ${got}`);
    return got === want ? undefined : `${c.op} on ${c.app} as ${name}: ${res.status}, expected ${want}`;
  }

  it('no caller reads or changes what it may not, and no event reaches another application', async () => {
    const command = fc.record({
      op: fc.constantFrom<Command['op']>('create', 'post', 'read', 'patch', 'list'),
      who: fc.nat(),
      app: fc.constantFrom(...APPS),
      hook: fc.nat(),
    });
    // One sequence given first, so that each kind of answer is met whatever the random ones do:
    // the installation admin, producer and viewer, and b1's producer key, on a1's webhook.
    const who = (name: string) => world.principals.findIndex((p) => p.name === name);
    const [admin, producer, viewer, b1Producer] = [
      'installation admin',
      'installation producer',
      'installation viewer',
      'b1 producer key',
    ].map(who) as [number, number, number, number];
    const on = (op: Command['op'], by: number, app: AppId = 'a1'): Command => ({ op, who: by, app, hook: 0 });
    const covering: Command[] = [
      ...(['create', 'read', 'patch', 'list', 'post'] as const).map((op) => on(op, admin)),
      ...(['create', 'patch', 'post'] as const).map((op) => on(op, viewer)),
      ...(['read', 'list'] as const).map((op) => on(op, producer)),
      on('read', admin, 'a2'),
      on('create', b1Producer),
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        for (const c of commands) {
          const mismatch = await run(c);
          if (mismatch) throw new Error(mismatch);
        }
      }),
      { numRuns: 40, examples: [[covering]] },
    );

    for (const op of Object.keys(RULE_OF)) {
      expect(seen).toContain(`${op} allowed`);
      expect(seen).toContain(`${op} 403`);
    }
    expect(seen).toContain('read 404');
    expect(seen).toContain('create 404');

    // Every delivery went to a webhook of the event's application, and exactly those expected.
    expect(expectedDeliveries).toBeGreaterThan(0);
    await waitUntil(() => receiver.requests.length >= expectedDeliveries, 30_000);
    const crossed = receiver.requests.filter((r) => {
      const app = r.url.split('/').pop();
      const [items] = Object.values(JSON.parse(r.body) as Record<string, { app: string }[]>);
      return items!.some((item) => item.app !== app);
    });
    expect(crossed).toEqual([]);
    expect(receiver.requests).toHaveLength(expectedDeliveries);
  });
});
