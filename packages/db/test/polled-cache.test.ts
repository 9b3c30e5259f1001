import { startPolledCache } from '../src/polled-cache.js';

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
