import { hostname } from 'node:os';
import type { Knex } from 'knex';
import {
  DEFAULT_JSON_LIMITS,
  DEFAULT_RETRY_POLICY,
  PayloadValidators,
  type JsonLimits,
  type RetryPolicy,
} from '@hookline/core';
import { startCatalogueCache, startSettingsCache, TargetCache } from '@hookline/db';
import type { Logger } from '@hookline/logger';
import type { EngineDeps } from './engine-deps.js';
import { createHttpClient } from './http-client.js';
import type { Metrics } from './metrics.js';
import { notifyWebhookDisabled } from './notify-disabled.js';
import { recordReply } from './record-reply.js';
import { createDeliveredGroup } from './delivered-group.js';
import { createStatsRecorder } from './stats-recorder.js';
import { createSender } from './send-request.js';

export interface StartEngineOptions {
  knex: Knex;
  logger: Logger;
  allowPrivateUrls: boolean;
  publicUrl: string;
  userAgent: string;
  retryPolicy?: RetryPolicy;
  /** Settings poll interval in ms (Default: 1000). */
  settingsRefreshMs?: number;
  /** The pool commits asynchronously (worker); see EngineDeps.asyncCommit. */
  asyncCommit?: boolean;
  metrics?: Metrics;
  /** `${system['fqdn']}` in templates (Default: the host name). */
  fqdn?: string;
  /** Payload nesting and width limits for events (Default: 64 levels, 10,000 keys per object). */
  payloadLimits?: JsonLimits;
  /** Also write the per-minute queue snapshot for the charts (Default: false; workers do). */
  snapshotQueue?: boolean;
}

/** Builds the engine's dependencies for an app: HTTP sender, live settings, catalogue. */
export async function startEngine(
  options: StartEngineOptions,
): Promise<EngineDeps & { stop(): void; flushStats(): Promise<void> }> {
  const settings = await startSettingsCache(options.knex, {
    refreshMs: options.settingsRefreshMs,
    onError: (err) => options.logger.warn('settings refresh failed; keeping the last values', { err }),
  });
  const catalogue = await startCatalogueCache(options.knex, {
    refreshMs: options.settingsRefreshMs,
    onError: (err) => options.logger.warn('event type refresh failed; keeping the last catalogue', { err }),
  });
  const stats = createStatsRecorder(options.knex, {
    snapshotQueue: options.snapshotQueue,
    onError: (err) => options.logger.warn('delivery stats not written; the next flush retries', { err }),
  });
  const client = createHttpClient({ allowPrivateUrls: options.allowPrivateUrls });
  const deps: EngineDeps & { stop(): void; flushStats(): Promise<void> } = {
    knex: options.knex,
    logger: options.logger,
    settings,
    sender: createSender(client, { allowPrivateUrls: options.allowPrivateUrls }),
    catalogue,
    payloadValidators: new PayloadValidators(),
    payloadLimits: options.payloadLimits ?? DEFAULT_JSON_LIMITS,
    stats,
    recordDelivered: createDeliveredGroup(options.knex),
    targets: new TargetCache(),
    // Before the pool closes at shutdown: the last second's counters.
    flushStats: () => stats.stop(),
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    publicUrl: options.publicUrl,
    userAgent: options.userAgent,
    fqdn: options.fqdn ?? hostname(),
    asyncCommit: options.asyncCommit ?? false,
    metrics: options.metrics,
    stop: () => {
      settings.stop();
      catalogue.stop();
      stats.cancel();
    },
  };
  deps.onEndpointDisabled = (target, reason) => notifyWebhookDisabled(deps, target, reason);
  deps.onReply = (target, batch, replyJson) => recordReply(deps, target, batch, replyJson);
  return deps;
}
