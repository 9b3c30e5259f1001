import type { Knex } from 'knex';

// A batch now owns its events: cutting a batch moves the events out of webhook_queue (one
// DELETE … RETURNING) into batches.event_ids, in the transaction that stores the batch. That
// halves the row writes per delivered event compared with marking queue rows and deleting them
// later, and immediate-mode batches no longer need queue rows at all.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE batches ADD COLUMN event_ids bigint[] NOT NULL DEFAULT '{}';
    UPDATE batches b SET event_ids = q.ids
      FROM (SELECT batch_id, array_agg(event_id ORDER BY id) AS ids FROM webhook_queue
            WHERE batch_id IS NOT NULL GROUP BY batch_id) q
      WHERE q.batch_id = b.id;
    DELETE FROM webhook_queue WHERE batch_id IS NOT NULL;
    DROP INDEX webhook_queue_unbatched_idx;
    DROP INDEX webhook_queue_batch_idx;
    ALTER TABLE webhook_queue DROP COLUMN batch_id;
    CREATE INDEX webhook_queue_webhook_idx ON webhook_queue (webhook_id, id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE webhook_queue ADD COLUMN batch_id uuid REFERENCES batches(id) ON DELETE CASCADE;
    INSERT INTO webhook_queue (webhook_id, event_id, batch_id)
      SELECT b.webhook_id, unnest(b.event_ids), b.id FROM batches b WHERE b.status = 'pending';
    DROP INDEX webhook_queue_webhook_idx;
    CREATE INDEX webhook_queue_unbatched_idx ON webhook_queue (webhook_id, id) WHERE batch_id IS NULL;
    CREATE INDEX webhook_queue_batch_idx ON webhook_queue (batch_id) WHERE batch_id IS NOT NULL;
    ALTER TABLE batches DROP COLUMN event_ids;
  `);
}
