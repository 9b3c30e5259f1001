import type { Knex } from 'knex';

// What runs on a clock (the drain tick, the recovery sweep, the per-minute queue snapshot, the
// metrics gauges) must cost in proportion to the webhooks with work, not to the webhooks
// registered (issue 20: a million of them, a thousand with work). The snapshot wrote a row of
// zeros per registered webhook every minute; it now writes rows for webhooks with something
// waiting and marks the minute here, so a reader knows that a webhook without a row had 0.
// Disabled webhooks are counted for a gauge on every scrape: a partial index keeps that count
// to the disabled ones.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE queue_snapshots (minute timestamptz PRIMARY KEY);
    INSERT INTO queue_snapshots SELECT DISTINCT minute FROM delivery_stats WHERE queue_depth IS NOT NULL;
    CREATE INDEX webhooks_disabled_idx ON webhooks (id) WHERE NOT enabled;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX webhooks_disabled_idx;
    DROP TABLE queue_snapshots;
  `);
}
