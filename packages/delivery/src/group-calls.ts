export interface GroupCallsOptions<T> {
  /** Groups being written at once (Default: 4). */
  concurrency?: number;
  /** Most weight one group takes; a single heavier call still goes alone (Default: no limit). */
  maxWeight?: number;
  /** A call's weight (Default: 1). */
  weight?: (item: T) => number;
  /**
   * Hold a call until the end of this turn of the event loop, so calls made in the same turn
   * share its group even when nothing is being written (Default: true). Without it an idle
   * grouper writes at once, and calls group only behind writes in flight.
   */
  gatherTurn?: boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

/**
 * Calls that arrive while earlier groups are being written wait together, and one `write` takes
 * them all: one statement (and one commit) shared by many callers. `write` returns one result per
 * item, in order; each caller resolves with its own once its group is written, and a failed
 * group fails every caller in it. Ingest's group commit and the records of concurrent
 * deliveries are built on this.
 */
export function groupCalls<T, R>(
  write: (items: T[]) => Promise<R[]>,
  options: GroupCallsOptions<T> = {},
): (item: T) => Promise<R> {
  const concurrency = options.concurrency ?? 4;
  const maxWeight = options.maxWeight ?? Infinity;
  const weight = options.weight ?? (() => 1);
  const waiting: Waiting<T, R>[] = [];
  let running = 0;
  let scheduled = false;

  const takeGroup = (): Waiting<T, R>[] => {
    const group: Waiting<T, R>[] = [];
    let size = 0;
    while (waiting.length > 0 && (group.length === 0 || size + weight(waiting[0]!.item) <= maxWeight)) {
      const next = waiting.shift()!;
      size += weight(next.item);
      group.push(next);
    }
    return group;
  };

  const run = async (group: Waiting<T, R>[]): Promise<void> => {
    try {
      const results = await write(group.map((w) => w.item));
      group.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  };

  const pump = (): void => {
    scheduled = false;
    while (running < concurrency && waiting.length > 0) {
      running++;
      void run(takeGroup()).finally(() => {
        running--;
        pump();
      });
    }
  };

  const gatherTurn = options.gatherTurn ?? true;
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!gatherTurn && running < concurrency) pump();
      // Let calls made in the same turn of the event loop join this group.
      else if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
