import type { ImmediateBatch } from './accept-events.js';
import { deliverBatch, type DeliverDeps } from './deliver-batch.js';

/**
 * Sends immediate-mode batches after their events were committed. Errors are logged, never thrown:
 * a batch that could not be sent or recorded stays pending and the worker retries it.
 */
export async function sendImmediate(deps: DeliverDeps, batches: readonly ImmediateBatch[]): Promise<void> {
  await Promise.all(
    batches.map((b) =>
      deliverBatch(deps, b.target, {
        id: b.batchId,
        body: b.body,
        eventCount: 1,
        attempts: 0,
        mode: 'immediate',
        hops: b.hops,
      }).catch((err: unknown) =>
        deps.logger.error('immediate delivery not recorded; the worker will retry', {
          deliveryId: b.batchId,
          err,
        }),
      ),
    ),
  );
}
