import { sendImmediate, type EngineDeps, type ImmediateBatch } from '@hookline/delivery';

export interface ImmediateDispatcher {
  /** Starts sending in the background; the producer's response does not wait for it. */
  dispatch(batches: readonly ImmediateBatch[]): void;
  /** Resolves once every send started so far has settled (graceful shutdown). */
  idle(): Promise<void>;
}

export function createImmediateDispatcher(engine: EngineDeps): ImmediateDispatcher {
  const inFlight = new Set<Promise<void>>();
  return {
    dispatch(batches) {
      if (batches.length === 0) return;
      const sending = sendImmediate(engine, batches).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
