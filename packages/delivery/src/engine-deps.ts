import type { Knex } from 'knex';
import type {
  CatalogueSource,
  DeliveryMode,
  JsonLimits,
  PayloadValidators,
  RetryPolicy,
  Target,
} from '@hookline/core';
import type { DeliveredBatch, SettingsCache, TargetCache } from '@hookline/db';
import type { Logger } from '@hookline/logger';
import type { Metrics } from './metrics.js';
import type { Sender } from './send-request.js';
import type { StatsRecorder } from './stats-recorder.js';

/** Everything the delivery engine touches, passed in by the app that composes it. */
export interface EngineDeps {
  knex: Knex;
  sender: Sender;
  settings: SettingsCache;
  /** The live event catalogue (refreshed from Postgres like settings). */
  catalogue: CatalogueSource;
  logger: Logger;
  retryPolicy: RetryPolicy;
  /** Sent as X-Origin-Base-URL. */
  publicUrl: string;
  /** Sent as User-Agent, e.g. `Hookline/0.1.0`. */
  userAgent: string;
  /** Prometheus metrics of this process, when it exposes them. */
  metrics?: Metrics;
  /** True when `knex` commits asynchronously (the worker): accepting events then forces it on. */
  asyncCommit?: boolean;
  /** `${system['fqdn']}` in body templates. */
  fqdn: string;
  /** Jitter source (Default: Math.random); tests pass a fixed one. */
  random?: () => number;
  /** Called once when a delivery outcome disables an endpoint (startEngine raises the system event). */
  onEndpointDisabled?: (target: Target, reason: string) => Promise<void>;
  /** Called with a delivered batch's JSON reply when the webhook names a `replyEventType`. */
  onReply?: (
    target: Target,
    batch: { id: string; hops: number; mode: DeliveryMode },
    replyJson: string,
  ) => Promise<void>;
  /** Per-minute delivery counters (GET /v1/stats, the dashboard's charts). */
  stats?: StatsRecorder;
  /**
   * Records a delivered batch, sharing a statement with the deliveries that finish alongside it
   * (createDeliveredGroup).
   */
  recordDelivered: (delivered: DeliveredBatch) => Promise<void>;
  /** Compiled payload schemas, shared by ingest and reply events. */
  payloadValidators: PayloadValidators;
  /** Payload nesting and width limits, for producers' events and replies alike. */
  payloadLimits: JsonLimits;
  /** The subscribed targets ingest read last, by application version (Default: none kept). */
  targets?: TargetCache;
}
