import type { Knex } from 'knex';
import { DEFAULT_EVENT_TYPES } from '@hookline/core';

// Event types become data: the 14 Mautic types are seeded as built-in rows (never deleted), admins
// add their own. `version` grows with each change so compiled payload schemas are cached per
// version. Webhooks gain Mattermost's trigger words, token and reply events; API keys a scope.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE event_types (
      name text PRIMARY KEY,
      description text NOT NULL DEFAULT '',
      mautic_name text UNIQUE,
      schema jsonb,
      archived boolean NOT NULL DEFAULT false,
      built_in boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE webhooks
      ADD COLUMN trigger jsonb,
      ADD COLUMN token text,
      ADD COLUMN reply_event_type text;
    ALTER TABLE api_keys ADD COLUMN event_types text[];
  `);
  await knex('event_types').insert(
    DEFAULT_EVENT_TYPES.map((t) => ({
      name: t.name,
      description: t.description,
      mautic_name: t.mauticName,
      built_in: true,
    })),
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE api_keys DROP COLUMN event_types;
    ALTER TABLE webhooks DROP COLUMN trigger, DROP COLUMN token, DROP COLUMN reply_event_type;
    DROP TABLE event_types;
  `);
}
