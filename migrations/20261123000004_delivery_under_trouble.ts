import type { Knex } from 'knex';

// Pending batches are taken in the order they were made: `seq`, not `created_at`, which is the
// same for every batch of one transaction (a group commit's immediate sends). Retention deletes
// old batches by age, so they get an index on it. Two foreign keys go: each would make every
// row retention deletes scan a large unindexed table (delivery_logs by batch_id, webhook_queue
// by event_id), and neither guards anything the code does not: queue rows are written with their
// events and dropped before them; a log row whose batch is gone answers redeliver with 404.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE delivery_logs DROP CONSTRAINT delivery_logs_batch_id_fkey;
    ALTER TABLE webhook_queue DROP CONSTRAINT webhook_queue_event_id_fkey;
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
    ALTER TABLE webhook_queue ADD CONSTRAINT webhook_queue_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id);
    ALTER TABLE delivery_logs ADD CONSTRAINT delivery_logs_batch_id_fkey
      FOREIGN KEY (batch_id) REFERENCES batches(id) ON DELETE SET NULL;
  `);
}
