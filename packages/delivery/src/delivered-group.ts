import type { Knex } from 'knex';
import { recordDelivered, type DeliveredBatch } from '@hookline/db';
import { groupCalls } from './group-calls.js';

/**
 * Records delivered batches; the deliveries that finish while a record is being written share
 * the next statement (immediate mode's concurrent sends, a worker's concurrent drains), so the
 * bookkeeping costs a statement per group, not per delivery. Resolves once the caller's batch is
 * recorded.
 */
export function createDeliveredGroup(knex: Knex): (delivered: DeliveredBatch) => Promise<void> {
  return groupCalls<DeliveredBatch, void>(
    async (items) => {
      await recordDelivered(knex, items);
      return items.map(() => undefined);
    },
    // Two statements in flight, a group filling behind them; an idle recorder writes at once (a
    // lone drain does not wait a turn of the event loop per batch).
    { concurrency: 2, maxWeight: 500, gatherTurn: false },
  );
}
