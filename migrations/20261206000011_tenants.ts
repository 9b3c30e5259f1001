import type { Knex } from 'knex';

// Tenants (Mix's model): an installation holds organizations, an organization holds
// applications, and every webhook, event and app key belongs to one application. Everything that
// exists goes into organization `default` and its application `default`, so every route keeps
// working, unchanged, on application `default`.
//
// Rows that hang off a webhook (endpoints, queue rows, batches, delivery logs, stats) say their
// application through that webhook's foreign key: a webhook never changes application, so they
// cannot either, and ingest writes no extra column per queue row or batch. Events carry their
// application themselves (an event exists before any webhook takes it, and its idempotency key is
// unique per application). They carry it without a foreign key: a per-row check on the hottest
// insert would cost ingest more than it protects, and deleting an application deletes its events
// in the same transaction (application-repository.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE organizations (
      id text PRIMARY KEY,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE applications (
      id text PRIMARY KEY,
      org_id text NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      description text,
      -- Events per second the application may post, shared by every ingest process; null: no limit.
      rate_limit double precision,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX applications_org_idx ON applications (org_id);
    INSERT INTO organizations (id, name) VALUES ('default', 'Default organization');
    INSERT INTO applications (id, org_id, name) VALUES ('default', 'default', 'Default application');

    CREATE TABLE members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
      name text NOT NULL,
      org_role text NOT NULL CHECK (org_role IN ('owner', 'member', 'viewer')),
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX members_org_idx ON members (org_id);
    CREATE TABLE member_app_roles (
      member_id uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
      app_id text NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'viewer')),
      PRIMARY KEY (member_id, app_id)
    );

    -- A key with an application is that application's (producer or viewer); without, the
    -- installation's (admin, producer or viewer), as before.
    ALTER TABLE api_keys ADD COLUMN app_id text REFERENCES applications(id) ON DELETE CASCADE;

    ALTER TABLE webhooks ADD COLUMN app_id text NOT NULL DEFAULT 'default' REFERENCES applications(id);
    CREATE INDEX webhooks_app_idx ON webhooks (app_id);

    -- A constant default: no table rewrite, existing events read as application default's.
    ALTER TABLE events ADD COLUMN app_id text NOT NULL DEFAULT 'default';
    CREATE UNIQUE INDEX events_app_idempotency_key_idx ON events (app_id, idempotency_key);
    ALTER TABLE events DROP CONSTRAINT events_idempotency_key_key;
  `);
}

export async function down(knex: Knex): Promise<void> {
  // Only application default's events keep their idempotency keys' uniqueness installation-wide.
  await knex.raw(`
    DELETE FROM events WHERE app_id <> 'default';
    ALTER TABLE events ADD CONSTRAINT events_idempotency_key_key UNIQUE (idempotency_key);
    DROP INDEX events_app_idempotency_key_idx;
    ALTER TABLE events DROP COLUMN app_id;
    DELETE FROM webhooks WHERE app_id <> 'default';
    ALTER TABLE webhooks DROP COLUMN app_id;
    DELETE FROM api_keys WHERE app_id IS NOT NULL;
    ALTER TABLE api_keys DROP COLUMN app_id;
    DROP TABLE member_app_roles, members, applications, organizations;
  `);
}
