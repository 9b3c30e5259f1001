import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { listDeliveryLogs, listDeliveryLogsAfter } from '@hookline/db';
import { deliveryLine } from './delivery-line.js';

export interface TailOptions {
  /** Earlier deliveries printed first (Default: 10). */
  lines: number;
  /** Keep printing new deliveries until interrupted (Default: true). */
  follow: boolean;
  /** How often the log is polled while following, in ms (Default: 1000). */
  intervalMs: number;
  signal: AbortSignal;
  print: (line: string) => void;
  /** Status messages, kept apart from the delivery lines (stderr). */
  notice: (message: string) => void;
}

/**
 * `deliveries tail --webhook <id>`: the last few deliveries, then each new one as it is logged.
 * Reads the delivery log in Postgres, so it sees every process's deliveries (workers, ingest).
 */
export async function tailDeliveries(knex: Knex, webhookId: string, options: TailOptions): Promise<void> {
  // At least the newest row is read, so that following starts after it even with `lines` 0.
  const recent = (await listDeliveryLogs(knex, webhookId, { limit: Math.max(options.lines, 1) })).reverse();
  for (const log of recent.slice(recent.length - options.lines)) options.print(deliveryLine(log));
  let lastId = recent.at(-1)?.id ?? '0';
  if (options.follow) options.notice(`following deliveries of ${webhookId} (Ctrl-C stops)`);
  while (options.follow && !options.signal.aborted) {
    await sleep(options.intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) break;
    for (const log of await listDeliveryLogsAfter(knex, webhookId, lastId, 500)) {
      options.print(deliveryLine(log));
      lastId = log.id;
    }
  }
}
