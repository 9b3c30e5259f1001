import type { Knex } from 'knex';

// Several callback URLs on one webhook. Each extra URL is a webhook row of its own, `primary_id`
// pointing at the webhook the API shows (whose own `url` is the first), with the same settings
// kept in step by the repository. So every URL gets its own queue rows, batches, lease, retries,
// order, failure streak and delivery log from the machinery that already guarantees them, and a
// failing URL never blocks the others. Deleting the webhook deletes its URLs' rows with it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE webhooks
      ADD COLUMN primary_id uuid REFERENCES webhooks(id) ON DELETE CASCADE,
      ADD COLUMN url_index smallint NOT NULL DEFAULT 0;
    CREATE INDEX webhooks_primary_idx ON webhooks (primary_id) WHERE primary_id IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM webhooks WHERE primary_id IS NOT NULL;
    ALTER TABLE webhooks DROP COLUMN primary_id, DROP COLUMN url_index;
  `);
}
