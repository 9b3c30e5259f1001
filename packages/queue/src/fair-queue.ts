import type { Redis } from 'ioredis';
import { FINISH_SCRIPT, OFFER_SCRIPT, RENEW_SCRIPT, TAKE_SCRIPT } from './fair-queue-scripts.js';

/**
 * One endpoint's claim to a turn: `cut` false for a recovery turn (it sends pending batches, cuts
 * nothing new); `group` is the unit of fairness the turn is counted under.
 */
export interface Turn {
  endpointId: string;
  group: string;
  cut: boolean;
}

/**
 * The line of endpoints waiting for a drain slot, shared by every worker through Redis. Groups
 * share the slots by the time they hold them (start-time fair queueing, see
 * fair-queue-scripts.ts): a group that was idle gets the next free slot (and, while it has
 * credit, the fast lane: `creditedOnly`), busy groups alternate, and a group whose turns run long
 * (a receiver that hangs to the timeout) waits longer for its next; inside a group its endpoints
 * take turns oldest first. An endpoint is in the line at most once: an offer for a waiting one
 * changes nothing (except that a cut offer upgrades a recovery one), and an offer for a running
 * one is kept until its turn ends. BullMQ's own queues are FIFO (fair groups are a paid BullMQ
 * Pro feature), hence this.
 */
export interface FairQueue {
  offer(turns: readonly Turn[]): Promise<void>;
  /**
   * Up to `count` turns, held for `holdMs` (past that a dead worker's turn lapses);
   * `creditedOnly`: only of groups that joined from idle and still run ahead of the line.
   */
  take(count: number, holdMs: number, options?: { creditedOnly?: boolean }): Promise<Turn[]>;
  /** A running turn that carries on holds its slot `holdMs` more; true when others wait. */
  renew(turn: Turn, holdMs: number): Promise<boolean>;
  /**
   * Ends a turn that held its slot for `heldMs`; `again` puts the endpoint back in line (work
   * left: it yielded, or its worker is stopping).
   */
  finish(turn: Turn, again: { cut: boolean } | undefined, heldMs: number): Promise<void>;
}

const FAIR_QUEUE_NAME = 'hookline-drain:fair';

/** A turn's slot time, in ms (docs/ARCHITECTURE.md, "How drains share the slots", says why). */
export const DEFAULT_QUANTUM_MS = 2000;

/** Turns offered per script call: one call for a large tick without one huge argument list. */
const OFFER_CHUNK = 1000;

export interface FairQueueOptions {
  /** BullMQ's key prefix (Default: `bull`); the line's keys go under it. */
  prefix?: string;
  /** Slot time a turn is charged when taken, in ms; its end corrects it (Default: 2000). */
  quantumMs?: number;
  /**
   * Slot time a group that was idle may take ahead of its equal share, in ms (Default: 10000):
   * what lets a quiet webhook's burst go out at once beside a long backlog.
   */
  creditMs?: number;
}

export function createFairQueue(redis: Redis, options: FairQueueOptions = {}): FairQueue {
  const prefix = `${options.prefix ?? 'bull'}:${FAIR_QUEUE_NAME}:`;
  const quantumMs = options.quantumMs ?? DEFAULT_QUANTUM_MS;
  const creditMs = options.creditMs ?? 10_000;
  const keys = ['ring', 'running', 'meta', 'seq', 'finish', 'vt'].map((k) => prefix + k);
  // defineCommand sends each script once and then calls it by its hash (EVALSHA).
  const scripts = {
    hooklineFairOffer: OFFER_SCRIPT,
    hooklineFairTake: TAKE_SCRIPT,
    hooklineFairRenew: RENEW_SCRIPT,
    hooklineFairFinish: FINISH_SCRIPT,
  };
  for (const [name, lua] of Object.entries(scripts))
    redis.defineCommand(name, { numberOfKeys: keys.length, lua });
  const commands = redis as unknown as Record<
    keyof typeof scripts,
    (...args: (string | number)[]) => Promise<unknown>
  >;
  const run = (script: keyof typeof scripts, args: (string | number)[]) =>
    commands[script](...keys, prefix, Date.now(), creditMs, ...args);
  return {
    async offer(turns) {
      for (let i = 0; i < turns.length; i += OFFER_CHUNK) {
        await run(
          'hooklineFairOffer',
          turns.slice(i, i + OFFER_CHUNK).flatMap((t) => [t.endpointId, t.group, t.cut ? '1' : '0']),
        );
      }
    },
    async take(count, holdMs, options = {}) {
      const credited = options.creditedOnly ? '1' : '0';
      const flat = (await run('hooklineFairTake', [holdMs, count, quantumMs, credited])) as string[];
      const turns: Turn[] = [];
      for (let i = 0; i < flat.length; i += 3) {
        turns.push({ endpointId: flat[i]!, group: flat[i + 1]!, cut: flat[i + 2] === '1' });
      }
      return turns;
    },
    async renew(turn, holdMs) {
      return ((await run('hooklineFairRenew', [turn.endpointId, holdMs])) as number) > 0;
    },
    async finish(turn, again, heldMs) {
      const cut = again ? (again.cut ? '1' : '0') : '';
      await run('hooklineFairFinish', [turn.endpointId, turn.group, cut, Math.round(heldMs), quantumMs]);
    },
  };
}
