import type { Knex } from 'knex';
import type { NewEvent } from '@hookline/db';
import { acceptEvents, type AcceptOutcome } from './accept-events.js';
import type { EngineDeps } from './engine-deps.js';
import { groupCalls } from './group-calls.js';

export interface GroupCommitOptions {
  /** Transactions in flight at once (Default: 4). */
  concurrency?: number;
  /** Most events one transaction takes (Default: 5000). */
  maxEvents?: number;
  /**
   * A pool that commits synchronously (ingest's API pool). Without it the engine's pool is used
   * and, when that one commits asynchronously, every transaction first sets synchronous_commit on:
   * one round trip more per group.
   */
  knex?: Knex;
}

export interface EventSink {
  /** Resolves once `events` are committed (with everything queued alongside them). */
  accept(events: readonly NewEvent[]): Promise<AcceptOutcome>;
}

/**
 * Group commit: requests that arrive while transactions are busy wait together and are written
 * in one multi-row transaction, so a commit (and its fsync) is shared by many producers. Each
 * caller still resolves only after its own events are durable; a failed transaction fails every
 * caller in it (they answer 503 and the producers retry with their idempotency keys).
 */
export function createGroupCommit(deps: EngineDeps, options: GroupCommitOptions = {}): EventSink {
  const acceptDeps = options.knex ? { ...deps, knex: options.knex, asyncCommit: false } : deps;
  const accept = groupCalls<readonly NewEvent[], AcceptOutcome>(
    async (groups) => {
      const outcome = await acceptEvents(acceptDeps, groups.flat());
      let offset = 0;
      return groups.map((events) => {
        const end = offset + events.length;
        const own = {
          events: outcome.events.slice(offset, end),
          immediate: outcome.immediate
            .filter((b) => b.eventIndex >= offset && b.eventIndex < end)
            .map((b) => ({ ...b, eventIndex: b.eventIndex - offset })),
        };
        offset = end;
        return own;
      });
    },
    { concurrency: options.concurrency ?? 4, maxWeight: options.maxEvents ?? 5000, weight: (e) => e.length },
  );
  return { accept };
}
