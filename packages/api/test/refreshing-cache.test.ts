import { refreshingCache } from '../src/refreshing-cache.js';

// The cache in front of ingest's key and application reads: never older than maxAgeMs, and
// refreshed in the background, many keys per read, while in use.

const MAX_AGE = 1000;

function setup(options: { values?: Map<string, string>; failMany?: boolean } = {}) {
  let clock = 0;
  const values =
    options.values ??
    new Map([
      ['a', 'a1'],
      ['b', 'b1'],
    ]);
  const loads: string[] = [];
  const manyLoads: string[][] = [];
  let manyGate: Promise<void> = Promise.resolve();
  const get = refreshingCache<string>({
    maxAgeMs: MAX_AGE,
    max: 100,
    now: () => clock,
    load: async (key) => {
      loads.push(key);
      return values.get(key);
    },
    loadMany: async (keys) => {
      manyLoads.push([...keys]);
      const read = new Map(keys.flatMap((k) => (values.has(k) ? [[k, values.get(k)!] as const] : [])));
      await manyGate;
      if (options.failMany) throw new Error('Postgres is away');
      return read;
    },
  });
  return {
    get,
    values,
    loads,
    manyLoads,
    advance: (ms: number) => (clock += ms),
    holdMany: () => {
      let release!: () => void;
      manyGate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('refreshingCache', () => {
  it('reads a key once, then answers from memory while it is young', async () => {
    const c = setup();
    expect(await c.get('a')).toBe('a1');
    c.values.set('a', 'a2');
    c.advance(MAX_AGE / 2 - 1);
    expect(await c.get('a')).toBe('a1');
    expect(c.loads).toEqual(['a']);
    expect(c.manyLoads).toEqual([]);
  });

  it('answers an entry past half its age at once and reads every such key again in one read', async () => {
    const c = setup();
    await c.get('a');
    await c.get('b');
    c.values.set('a', 'a2');
    c.values.set('b', 'b2');
    c.advance(MAX_AGE / 2);
    expect(await c.get('a')).toBe('a1');
    expect(await c.get('b')).toBe('b1');
    await until(() => c.manyLoads.length > 0);
    expect(c.manyLoads).toEqual([['a', 'b']]);
    // Once its callbacks ran, the background read has replaced both, and no request waited for it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await c.get('a')).toBe('a2');
    expect(await c.get('b')).toBe('b2');
    expect(c.loads).toEqual(['a', 'b']);
  });

  it('reads an entry past maxAgeMs before answering, so a change takes effect within it', async () => {
    const c = setup();
    await c.get('a');
    c.values.set('a', 'a2');
    c.advance(MAX_AGE);
    expect(await c.get('a')).toBe('a2');
    expect(c.loads).toEqual(['a', 'a']);
  });

  it('forgets a key that is gone, and never remembers an unknown one', async () => {
    const c = setup();
    expect(await c.get('nope')).toBeUndefined();
    expect(await c.get('nope')).toBeUndefined();
    expect(c.loads).toEqual(['nope', 'nope']);

    await c.get('a');
    c.values.delete('a');
    c.advance(MAX_AGE);
    expect(await c.get('a')).toBeUndefined();
    expect(c.loads).toEqual(['nope', 'nope', 'a', 'a']);
  });

  it('lets a failed background read leave the entry to expire', async () => {
    const c = setup({ failMany: true });
    await c.get('a');
    c.values.set('a', 'a2');
    c.advance(MAX_AGE / 2);
    expect(await c.get('a')).toBe('a1');
    await until(() => c.manyLoads.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await c.get('a')).toBe('a1');
    c.advance(MAX_AGE / 2);
    expect(await c.get('a')).toBe('a2');
  });

  it('keeps a later read over an earlier one that finishes after it', async () => {
    const c = setup();
    await c.get('a');
    const release = c.holdMany();
    c.values.set('a', 'a2');
    c.advance(MAX_AGE / 2);
    await c.get('a'); // starts the background read of a2, held
    await until(() => c.manyLoads.length === 1);
    c.values.set('a', 'a3');
    c.advance(MAX_AGE);
    expect(await c.get('a')).toBe('a3'); // past maxAgeMs: read at once
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await c.get('a')).toBe('a3');
  });
});
