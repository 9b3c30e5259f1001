import type { Knex } from 'knex';

// Pending batches are taken in the order they were made: `seq`, not `created_at`, which is the
// same for every batch of one transaction (a group commit's immediate sends). Retention deletes
// old batches by age, so they get an index on it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE batches ADD COLUMN seq bigserial;
    DROP INDEX batches_pending_idx;
    CREATE INDEX batches_pending_idx ON batches (webhook_id, seq) WHERE status = 'pending';
    CREATE INDEX batches_created_idx ON batches (created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX batches_created_idx;
    DROP INDEX batches_pending_idx;
    ALTER TABLE batches DROP COLUMN seq;
    CREATE INDEX batches_pending_idx ON batches (webhook_id, created_at) WHERE status = 'pending';
  `);
}
