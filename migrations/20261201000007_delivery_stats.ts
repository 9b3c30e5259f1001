import type { Knex } from 'knex';

// Per-minute delivery counters per webhook, kept by the delivering processes (added to every
// second), and a per-minute snapshot of what waits (written by workers): the dashboard's charts
// and GET /v1/stats read these, never the capped delivery log. Pruned with retentionDays.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE delivery_stats (
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      minute timestamptz NOT NULL,
      success integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      -- Delivery latency counts per bucket (core's LATENCY_BOUNDS_MS).
      latency integer[] NOT NULL DEFAULT '{}',
      queue_depth integer,
      retry_backlog integer,
      PRIMARY KEY (webhook_id, minute)
    );
    CREATE INDEX delivery_stats_minute_idx ON delivery_stats (minute);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE delivery_stats');
}
