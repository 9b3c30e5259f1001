import type { Knex } from 'knex';

// Custom request headers, secret rotation, and hop counts for chained webhooks (loop protection).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE webhooks
      ADD COLUMN headers jsonb,
      ADD COLUMN previous_secret text,
      ADD COLUMN previous_secret_expires_at timestamptz;
    -- How many Hookline deliveries led to this event (X-Hookline-Hops), for loop protection.
    ALTER TABLE events ADD COLUMN hops smallint NOT NULL DEFAULT 0;
    ALTER TABLE batches ADD COLUMN hops smallint NOT NULL DEFAULT 0;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE batches DROP COLUMN hops;
    ALTER TABLE events DROP COLUMN hops;
    ALTER TABLE webhooks DROP COLUMN headers, DROP COLUMN previous_secret, DROP COLUMN previous_secret_expires_at;
  `);
}
