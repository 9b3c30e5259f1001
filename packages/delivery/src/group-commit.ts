import type { NewEvent } from '@hookline/db';
import { acceptEvents, type AcceptOutcome } from './accept-events.js';
import type { EngineDeps } from './engine-deps.js';

export interface GroupCommitOptions {
  /** Transactions in flight at once (Default: 4). */
  concurrency?: number;
  /** Most events one transaction takes (Default: 5000). */
  maxEvents?: number;
}

export interface EventSink {
  /** Resolves once `events` are committed (with everything queued alongside them). */
  accept(events: readonly NewEvent[]): Promise<AcceptOutcome>;
}

interface Waiting {
  events: readonly NewEvent[];
  resolve(outcome: AcceptOutcome): void;
  reject(err: unknown): void;
}

/**
 * Group commit: requests that arrive while transactions are busy wait together and are written
 * in one multi-row transaction, so a commit (and its fsync) is shared by many producers. Each
 * caller still resolves only after its own events are durable; a failed transaction fails every
 * caller in it (they answer 503 and the producers retry with their idempotency keys).
 */
export function createGroupCommit(deps: EngineDeps, options: GroupCommitOptions = {}): EventSink {
  const concurrency = options.concurrency ?? 4;
  const maxEvents = options.maxEvents ?? 5000;
  const waiting: Waiting[] = [];
  let running = 0;
  let scheduled = false;

  const takeGroup = (): Waiting[] => {
    const group: Waiting[] = [];
    let size = 0;
    while (waiting.length > 0 && (group.length === 0 || size + waiting[0]!.events.length <= maxEvents)) {
      const next = waiting.shift()!;
      size += next.events.length;
      group.push(next);
    }
    return group;
  };

  const commit = async (group: Waiting[]): Promise<void> => {
    try {
      const outcome = await acceptEvents(
        deps,
        group.flatMap((w) => w.events),
      );
      let offset = 0;
      for (const w of group) {
        const end = offset + w.events.length;
        w.resolve({
          events: outcome.events.slice(offset, end),
          immediate: outcome.immediate
            .filter((b) => b.eventIndex >= offset && b.eventIndex < end)
            .map((b) => ({ ...b, eventIndex: b.eventIndex - offset })),
        });
        offset = end;
      }
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  };

  const pump = (): void => {
    scheduled = false;
    while (running < concurrency && waiting.length > 0) {
      const group = takeGroup();
      running++;
      void commit(group).finally(() => {
        running--;
        pump();
      });
    }
  };

  return {
    accept(events) {
      return new Promise<AcceptOutcome>((resolve, reject) => {
        waiting.push({ events, resolve, reject });
        // Let requests that arrive in the same turn of the event loop join this group.
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
  };
}
