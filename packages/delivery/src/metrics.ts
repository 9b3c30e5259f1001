import type { Knex } from 'knex';
import { countDisabledWebhooks, queueDepthByApp, queueDepthByWebhook } from '@hookline/db';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsIngested: Counter;
  deliveries: Counter<'status' | 'mode'>;
  /** Per application: the same counts, labelled `app` (docs/CONFIGURATION.md says why it stays bounded). */
  appEventsIngested: Counter<'app'>;
  appDeliveries: Counter<'app' | 'status'>;
  deliveryDuration: Histogram<'status'>;
  /** Events retention dropped before they were delivered, by where they were. */
  retentionDropped: Counter<'state'>;
}

/**
 * Prometheus metrics of one process (prom-client). Counters and the duration histogram count what
 * this process did; pass `knex` (the ingest does) to also report the installation-wide gauges,
 * read from Postgres at scrape time: queue depth per webhook and disabled webhooks.
 */
export function createMetrics(options: { knex?: Knex } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hookline_' });
  const metrics: Metrics = {
    registry,
    eventsIngested: new Counter({
      name: 'hookline_events_ingested_total',
      help: 'Events accepted (durable), duplicates excluded',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'hookline_deliveries_total',
      help: 'Delivery attempts by outcome and mode',
      labelNames: ['status', 'mode'],
      registers: [registry],
    }),
    deliveryDuration: new Histogram({
      name: 'hookline_delivery_duration_seconds',
      help: 'Duration of delivery requests',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    appEventsIngested: new Counter({
      name: 'hookline_app_events_ingested_total',
      help: 'Events accepted (durable), duplicates excluded, by application',
      labelNames: ['app'],
      registers: [registry],
    }),
    appDeliveries: new Counter({
      name: 'hookline_app_deliveries_total',
      help: 'Delivery attempts by application and outcome',
      labelNames: ['app', 'status'],
      registers: [registry],
    }),
    retentionDropped: new Counter({
      name: 'hookline_retention_dropped_events_total',
      help: 'Events older than retentionDays dropped undelivered, by state (queued, pending, failed)',
      labelNames: ['state'],
      registers: [registry],
    }),
  };
  const knex = options.knex;
  if (knex) {
    new Gauge({
      name: 'hookline_queue_depth',
      help: 'Events waiting per webhook: queued or in a batch not yet delivered',
      labelNames: ['webhook_id'],
      registers: [registry],
      async collect() {
        const depths = await queueDepthByWebhook(knex);
        this.reset();
        for (const [webhookId, depth] of depths) this.set({ webhook_id: webhookId }, depth);
      },
    });
    new Gauge({
      name: 'hookline_app_queue_depth',
      help: 'Events waiting per application: queued or in a batch not yet delivered',
      labelNames: ['app'],
      registers: [registry],
      async collect() {
        const depths = await queueDepthByApp(knex);
        this.reset();
        for (const [app, depth] of depths) this.set({ app }, depth);
      },
    });
    new Gauge({
      name: 'hookline_webhooks_disabled',
      help: 'Webhooks with a disabled endpoint (a callback URL auto-disabled, or the webhook disabled by an admin)',
      registers: [registry],
      async collect() {
        this.set(await countDisabledWebhooks(knex));
      },
    });
  }
  return metrics;
}
