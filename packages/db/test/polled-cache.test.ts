import { stampedLoad, startPolledCache } from '../src/polled-cache.js';

describe('startPolledCache', () => {
  it('a load that started earlier never overwrites what a later refresh read', async () => {
    let data = 'old';
    const pending: (() => void)[] = [];
    let slow = false;
    const cache = await startPolledCache(
      async () => {
        const seen = data;
        // The first load after start is held back, like a poll that was slow to answer.
        if (slow) {
          slow = false;
          await new Promise<void>((resolve) => pending.push(resolve));
        }
        return seen;
      },
      { refreshMs: 3_600_000 },
    );
    try {
      slow = true;
      const stale = cache.refresh(); // reads 'old', answers late
      data = 'new';
      expect(await cache.refresh()).toBe('new');
      pending.shift()!();
      expect(await stale).toBe('new');
      expect(cache.current()).toBe('new');
    } finally {
      cache.stop();
    }
  });
});

describe('stampedLoad', () => {
  it("rereads when the stamp moved since the previous value's own read, whatever other loads stored", async () => {
    let stamp = 's0';
    let data = 'old';
    const stampGates: (() => void)[] = [];
    let holdStamp = false;
    const load = stampedLoad(
      async () => {
        const seen = stamp;
        if (holdStamp) await new Promise<void>((resolve) => stampGates.push(resolve));
        return seen;
      },
      async () => ({ data }),
    );
    const first = await load(undefined);
    expect(await load(first)).toBe(first); // nothing moved: kept

    stamp = 's1';
    data = 'new';
    holdStamp = true;
    const refresh = load(first); // started from the old value; its stamp read answers late
    holdStamp = false;
    const poll = await load(first); // another load sees the change and finishes first
    expect(poll.data).toBe('new');
    stampGates.shift()!();
    expect((await refresh).data).toBe('new');
  });
});
