import type { Knex } from 'knex';

// A portal for each application's customers. A portal token is a Bearer key for one
// application's webhook routes, handed out by whoever may change its webhooks: stored as its
// SHA-256 like every key, with an expiry and whether it may only read. Revoking an application's
// portal access deletes all of its tokens. An application's `portal` settings (its accent
// colour) style the page its customers see.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE portal_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      app_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      read_only boolean NOT NULL,
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX portal_tokens_app_idx ON portal_tokens (app_id);
    ALTER TABLE applications ADD COLUMN portal jsonb NOT NULL DEFAULT '{}';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE applications DROP COLUMN portal;
    DROP TABLE portal_tokens;
  `);
}
