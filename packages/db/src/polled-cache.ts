export interface PolledCache<T> {
  /** The value as last read; never older than `refreshMs` while Postgres is reachable. */
  current(): T;
  refresh(): Promise<T>;
  stop(): void;
}

export interface PolledCacheOptions {
  /** Poll interval in ms (Default: 1000; SPEC: a change reaches every process within 2 s). */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Keeps a value read from Postgres fresh by polling, so an admin's change reaches every running
 * process without a restart. `load` runs at start and at each poll; it may return the value it was
 * given to keep it (after a cheap check that nothing changed).
 */
export async function startPolledCache<T>(
  load: (previous: T | undefined) => Promise<T>,
  options: PolledCacheOptions = {},
): Promise<PolledCache<T>> {
  let value = await load(undefined);
  // Loads may overlap (a poll, and a refresh after this process changed the data); a load started
  // earlier must not overwrite what a later one read, or a refresh could be undone by a stale poll.
  let started = 0;
  let applied = 0;
  const refresh = async (): Promise<T> => {
    const ticket = ++started;
    const next = await load(value);
    if (ticket > applied) {
      applied = ticket;
      value = next;
    }
    return value;
  };
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => options.onError?.(err));
  }, options.refreshMs ?? 1000);
  timer.unref();
  return { current: () => value, refresh, stop: () => clearInterval(timer) };
}

/**
 * A polled cache's load that reads the whole value only when the stamp moved since `previous`
 * was read. Each value keeps its own stamp: loads overlap (a poll, and a refresh after a change),
 * and one that compared against a stamp another load had just stored kept the value it started
 * with, read before the change (a flaky 202 for a payload the new schema refuses).
 */
export function stampedLoad<T extends object>(
  readStamp: () => Promise<string>,
  read: () => Promise<T>,
): (previous: T | undefined) => Promise<T> {
  const stamps = new WeakMap<T, string>();
  return async (previous) => {
    const now = await readStamp();
    if (previous && stamps.get(previous) === now) return previous;
    const value = await read();
    stamps.set(value, now);
    return value;
  };
}
