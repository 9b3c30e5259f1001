import type { Redis } from 'ioredis';
import { createFairQueue, createRedis, type FairQueue, type Turn } from '@hookline/queue';
import { clearPrefix, redisUrl, testPrefix } from '@hookline/testing';

const HOLD = 60_000;
const turn = (endpointId: string, group = endpointId, cut = true): Turn => ({ endpointId, group, cut });

/** Takes one turn at a time until the line is empty, finishing each without work left. */
async function drainOrder(queue: FairQueue): Promise<string[]> {
  const order: string[] = [];
  for (;;) {
    const [t] = await queue.take(1, HOLD);
    if (!t) return order;
    order.push(t.endpointId);
    await queue.finish(t, undefined, 250);
  }
}

describe('fair queue (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let queue: FairQueue;
  beforeEach(() => {
    redis = createRedis(redisUrl());
    prefix = testPrefix();
    queue = createFairQueue(redis, { prefix, quantumMs: 250 });
  });
  afterEach(async () => {
    await clearPrefix(prefix);
    redis.disconnect();
  });

  it('hands out each webhook once, however often it is offered', async () => {
    await queue.offer([turn('a'), turn('b'), turn('a'), turn('c')]);
    await queue.offer([turn('b')]);
    expect((await drainOrder(queue)).sort()).toEqual(['a', 'b', 'c']);
  });

  it('a webhook that was idle gets the next free slot, ahead of busy ones that yielded', async () => {
    await queue.offer([turn('busy1'), turn('busy2'), turn('busy3')]);
    const busy = await queue.take(3, HOLD);
    for (const t of busy) await queue.finish(t, { cut: true }, 250);
    await queue.offer([turn('quiet')]);
    expect(await drainOrder(queue)).toEqual(['quiet', 'busy1', 'busy2', 'busy3']);
  });

  it('an idle webhook runs ahead of its share by at most its credit, then takes turns like the rest', async () => {
    // The pack has been taking turns for a while.
    await queue.offer([turn('busy')]);
    for (let i = 0; i < 50; i++) {
      const [t] = await queue.take(1, HOLD);
      await queue.finish(t!, { cut: true }, 250);
    }
    await queue.offer([turn('burst')]);
    const next = async (heldMs: number) => {
      const [t] = await queue.take(1, HOLD);
      await queue.finish(t!, { cut: true }, heldMs);
      return t!.endpointId;
    };
    // 10 s of credit (the default): 9 s of slot time and it is still first in line...
    expect(await next(9000)).toBe('burst');
    expect(await next(250)).toBe('burst');
    // ...past it, the busy webhook gets the next turn.
    expect(await next(2000)).toBe('burst');
    expect(await next(250)).toBe('busy');
  });

  it('with every slot in use, only a webhook joining from idle may take the fast lane', async () => {
    await queue.offer([turn('busy1'), turn('busy2')]);
    for (let i = 0; i < 10; i++) {
      const [t] = await queue.take(1, HOLD);
      await queue.finish(t!, { cut: true }, 250);
    }
    expect(await queue.take(5, HOLD, { creditedOnly: true })).toEqual([]);
    await queue.offer([turn('quiet')]);
    expect(await queue.take(5, HOLD, { creditedOnly: true })).toEqual([turn('quiet')]);
    expect((await queue.take(5, HOLD)).map((t) => t.endpointId).sort()).toEqual(['busy1', 'busy2']);
  });

  it('a turn that held its slot for a whole timeout waits that much longer for its next', async () => {
    await queue.offer([turn('hanging'), turn('healthy')]);
    const taken = await queue.take(2, HOLD);
    await queue.finish(
      taken.find((t) => t.endpointId === 'hanging')!,
      { cut: true },
      15_000,
    );
    await queue.finish(
      taken.find((t) => t.endpointId === 'healthy')!,
      { cut: true },
      250,
    );
    // 250 ms turns of the healthy webhook fill the 15 s the hanging one held.
    const order: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [t] = await queue.take(1, HOLD);
      order.push(t!.endpointId);
      await queue.finish(t!, { cut: true }, 250);
    }
    expect(order).toEqual(Array(20).fill('healthy'));
    // Alone in line, it is served at once: the slots are never left idle.
    const healthy = await queue.take(1, HOLD);
    await queue.finish(healthy[0]!, undefined, 250);
    expect(await queue.take(1, HOLD)).toEqual([turn('hanging')]);
  });

  it('a webhook that yields goes behind one that was waiting', async () => {
    await queue.offer([turn('busy'), turn('quiet')]);
    const [busy] = await queue.take(1, HOLD);
    expect(busy?.endpointId).toBe('busy');
    await queue.finish(busy!, { cut: true }, 250);
    expect(await drainOrder(queue)).toEqual(['quiet', 'busy']);
  });

  it('groups take turns first, then the webhooks inside each group, oldest offer first', async () => {
    // Group A has three webhooks waiting, B and C one each: A gets one turn per round like B and C.
    await queue.offer([turn('a1', 'A'), turn('a2', 'A'), turn('a3', 'A'), turn('b1', 'B'), turn('c1', 'C')]);
    expect(await drainOrder(queue)).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
  });

  describe('two levels: applications, then their webhooks (groups "<app>/<webhook>")', () => {
    /** Turns taken one at a time, each finished with work left, as busy drains do. */
    async function busyTurns(n: number): Promise<string[]> {
      const order: string[] = [];
      for (let i = 0; i < n; i++) {
        const [t] = await queue.take(1, HOLD);
        order.push(t!.endpointId);
        await queue.finish(t!, { cut: true }, 250);
      }
      return order;
    }

    it('an application with many busy webhooks gets no more turns than one with a single webhook', async () => {
      const big = Array.from({ length: 5 }, (_, i) => turn(`big${i}`, `big/w${i}`));
      await queue.offer([...big, turn('small0', 'small/w0')]);
      const order = await busyTurns(20);
      expect(order.filter((id) => id === 'small0')).toHaveLength(10);
      // Inside big, its webhooks take its turns in rotation.
      expect(order.filter((id) => id !== 'small0')).toEqual(
        [...Array(2)].flatMap(() => big.map((t) => t.endpointId)),
      );
    });

    it('a quiet webhook joining a busy application goes first inside it, and the application keeps its share', async () => {
      await queue.offer([turn('a1', 'A/w1'), turn('a2', 'A/w2'), turn('b1', 'B/w1')]);
      await busyTurns(30);
      await queue.offer([turn('a3', 'A/w3')]);
      // B's turn may come first (the applications alternate), then A's goes to its quiet webhook.
      const next = await busyTurns(2);
      expect(next).toContain('a3');
      expect(next).toContain('b1');
    });

    it('with every slot in use, a quiet webhook of a busy application may take the fast lane', async () => {
      await queue.offer([turn('a1', 'A/w1'), turn('a2', 'A/w2'), turn('b1', 'B/w1')]);
      await busyTurns(30);
      expect(await queue.take(5, HOLD, { creditedOnly: true })).toEqual([]);
      await queue.offer([turn('a3', 'A/w3')]);
      expect(await queue.take(5, HOLD, { creditedOnly: true })).toEqual([turn('a3', 'A/w3')]);
    });

    it("one application's hanging receiver costs that application's share, and inside it that webhook's", async () => {
      await queue.offer([turn('hang', 'big/h'), turn('ok', 'big/o'), turn('small', 'small/s')]);
      const taken = await queue.take(3, HOLD);
      for (const t of taken) await queue.finish(t, { cut: true }, t.endpointId === 'hang' ? 15_000 : 250);
      const order = await busyTurns(100);
      // The 15 s big's receiver held count against big: small takes the next 60 turns to even the
      // shares, then they alternate; big's turns go to its healthy webhook.
      expect(order.slice(0, 60)).toEqual(Array(60).fill('small'));
      const bigs = order.filter((id) => id !== 'small');
      expect(bigs.length).toBeGreaterThanOrEqual(15);
      expect(new Set(bigs)).toEqual(new Set(['ok']));
    });
  });

  it('an offer for a running webhook waits for its turn to end, then joins the back of the line', async () => {
    await queue.offer([turn('a'), turn('b')]);
    const [a] = await queue.take(1, HOLD);
    await queue.offer([turn('a')]); // the tick sees work while a drains
    expect((await queue.take(5, HOLD)).map((t) => t.endpointId)).toEqual(['b']);
    await queue.finish(a!, undefined, 250);
    expect(await queue.take(5, HOLD)).toEqual([turn('a')]);
    expect(await queue.take(5, HOLD)).toEqual([]);
  });

  it('a cut offer upgrades a waiting recovery turn; a recovery offer never downgrades a cut one', async () => {
    await queue.offer([turn('a', 'a', false), turn('b', 'b', true)]);
    await queue.offer([turn('a', 'a', true), turn('b', 'b', false)]);
    expect(await queue.take(5, HOLD)).toEqual([turn('a', 'a', true), turn('b', 'b', true)]);
  });

  it('a turn that carries on renews its hold, and learns whether anyone waits for a slot', async () => {
    await queue.offer([turn('a')]);
    const [a] = await queue.take(1, 1); // a hold that would lapse at once
    expect(await queue.renew(a!, HOLD)).toBe(false);
    await queue.offer([turn('a'), turn('b')]); // a still held: only b joins the line
    expect(await queue.renew(a!, HOLD)).toBe(true);
    expect(await queue.take(5, HOLD)).toEqual([turn('b')]);
  });

  it("a dead worker's turn lapses after its hold: a webhook offered meanwhile is handed out again", async () => {
    await queue.offer([turn('a')]);
    expect(await queue.take(1, 1)).toHaveLength(1); // held for 1 ms, never finished
    await queue.offer([turn('a')]);
    let again: Turn[] = [];
    for (const end = Date.now() + 5000; again.length === 0 && Date.now() < end;) {
      again = await queue.take(1, HOLD);
    }
    expect(again).toEqual([turn('a')]);
  });

  it('several processes taking at once never get the same webhook twice', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `w${i}`);
    await queue.offer(ids.map((id) => turn(id, `g${id.length}`)));
    const others = Array.from({ length: 4 }, () => createRedis(redisUrl()));
    try {
      const queues = others.map((r) => createFairQueue(r, { prefix }));
      const taken = (await Promise.all(queues.flatMap((q) => [q.take(30, HOLD), q.take(30, HOLD)]))).flat();
      const rest = await queue.take(1000, HOLD);
      const all = [...taken, ...rest].map((t) => t.endpointId);
      expect(all.sort()).toEqual([...ids].sort());
    } finally {
      for (const r of others) r.disconnect();
    }
  });
});
