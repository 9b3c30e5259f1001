import type { FairQueue, Turn } from './fair-queue.js';

export interface DrainSlotsOptions {
  fair: FairQueue;
  /** Turns this process runs at once. */
  concurrency: number;
  /** How long a taken turn is held before another worker may take it, in ms (see FairQueue.take). */
  holdMs: () => number;
  /** Runs one turn; resolves with `again` when the endpoint goes to the back of the line. */
  run: (turn: Turn) => Promise<{ cut: boolean } | undefined>;
  /** How often idle slots look for turns offered by other processes, in ms (Default: 100). */
  idlePollMs?: number;
  onError: (what: string, err: unknown) => void;
}

export interface DrainSlots {
  /** Look for turns now (this process just offered some). */
  wake(): void;
  /** Takes no more turns and waits for the running ones to end. */
  close(): Promise<void>;
}

/**
 * The worker's slots: whenever some are free, takes that many turns from the fair queue and runs
 * them; a finished turn frees its slot for the next in line. Idle or full, it polls the line
 * (full: for groups joining from idle, which may use the fast lane).
 */
export function startDrainSlots(options: DrainSlotsOptions): DrainSlots {
  const running = new Set<Promise<void>>();
  let closed = false;
  let wakeUp: (() => void) | undefined;
  // A wake while the pump is busy taking is kept, so the pump does not then sleep through it.
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });

  const runTurn = (turn: Turn) => {
    const started = Date.now();
    const finished = options
      .run(turn)
      .catch((err: unknown) => {
        options.onError('drain turn failed', err);
        return undefined;
      })
      .then((again) => options.fair.finish(turn, again, Date.now() - started))
      .catch((err: unknown) => options.onError('could not end a drain turn', err))
      .finally(() => {
        running.delete(finished);
        wake();
      });
    running.add(finished);
  };

  // Slots beyond `concurrency` that only groups joining from idle (with credit) may take: a quiet
  // webhook then never waits for a busy webhook's turn to end, only for its own sends.
  const fastLane = Math.ceil(options.concurrency / 16);

  const pump = async () => {
    let failing = false;
    while (!closed) {
      const free = options.concurrency - running.size;
      const want = free > 0 ? free : options.concurrency + fastLane - running.size;
      let taken = 0;
      if (want > 0) {
        try {
          const turns = await options.fair.take(want, options.holdMs(), { creditedOnly: free <= 0 });
          if (closed) {
            // Taken as the worker closed: hand them back at once rather than let their hold lapse.
            await Promise.all(turns.map((t) => options.fair.finish(t, { cut: t.cut }, 0)));
            return;
          }
          for (const turn of turns) runTurn(turn);
          taken = turns.length;
          failing = false;
        } catch (err) {
          // One line when taking starts failing (Redis away), not one per poll.
          if (!failing) options.onError('could not take drain turns; trying again', err);
          failing = true;
        }
      }
      // A full take may leave more waiting: take again at once; else wait for a slot or an offer.
      if (taken === 0 || taken < want) await pause(failing ? 1000 : (options.idlePollMs ?? 100));
    }
  };
  const pumped = pump();

  return {
    wake,
    async close() {
      closed = true;
      wake();
      await pumped;
      await Promise.all(running);
    },
  };
}
