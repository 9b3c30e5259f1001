import type { DeliveryMode } from '@hookline/core';
import type { EngineDeps } from './engine-deps.js';
import type { SendResult } from './send-request.js';

/** Counts one delivery attempt, to a webhook of application `app`, in the process's metrics, if it keeps any. */
export function observeDelivery(
  deps: Pick<EngineDeps, 'metrics'>,
  app: string,
  mode: DeliveryMode,
  result: SendResult,
): void {
  const status = result.ok ? 'success' : 'failed';
  deps.metrics?.deliveries.inc({ status, mode });
  deps.metrics?.appDeliveries.inc({ app, status });
  deps.metrics?.deliveryDuration.observe({ status }, result.durationMs / 1000);
}
