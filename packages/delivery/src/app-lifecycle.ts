import { waitForDatabase } from '@hookline/db';
import type { Logger } from '@hookline/logger';

export interface AppLifecycle {
  /** Aborted once SIGTERM or SIGINT arrives. */
  signal: AbortSignal;
  /** A step of the graceful shutdown; steps run one after another, in the order added. */
  onShutdown(step: () => Promise<void> | void): void;
  /**
   * Waits until Postgres answers and is migrated, logging one `waiting for Postgres` line per
   * retry; resolves false when a shutdown came first (the caller then just returns).
   */
  databaseReady(databaseUrl: string, onRetry?: (reason: string) => void): Promise<boolean>;
}

/**
 * The start and stop of an app process: on SIGTERM/SIGINT the steps run in order, `last` runs,
 * `stopped` is logged and the process exits 0. Start-up may be waiting for Postgres then: the wait
 * ends at once.
 */
export function appLifecycle(logger: Logger, last: () => void): AppLifecycle {
  const starting = new AbortController();
  const steps: (() => Promise<void> | void)[] = [];
  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    starting.abort();
    for (const step of steps) await step();
    last();
    logger.info('stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return {
    signal: starting.signal,
    onShutdown: (step) => void steps.push(step),
    async databaseReady(databaseUrl, onRetry) {
      try {
        await waitForDatabase(databaseUrl, {
          signal: starting.signal,
          onRetry: ({ attempt, retryInMs, reason }) => {
            onRetry?.(reason);
            logger.warn('waiting for Postgres', { attempt, retryInMs, reason });
          },
        });
        return true;
      } catch (err) {
        if (starting.signal.aborted) return false;
        throw err;
      }
    },
  };
}
