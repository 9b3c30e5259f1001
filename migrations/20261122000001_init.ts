import type { Knex } from 'knex';

// Hookline's schema. Postgres is the queue of record: an accepted event is a row in `events`
// plus one `webhook_queue` row per matching webhook, written in the producer's transaction.
// Redis only carries the drain schedule and per-webhook drain jobs, so losing it loses nothing.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE events (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      -- Raw JSON text, not jsonb: jsonb reorders keys and receivers get the producer's bytes.
      payload text NOT NULL,
      occurred_at timestamptz NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      idempotency_key text UNIQUE
    );

    CREATE TABLE webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      description text,
      url text NOT NULL,
      events text[] NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      secret text NOT NULL,
      method text NOT NULL DEFAULT 'POST',
      content_type text NOT NULL DEFAULT 'application/json',
      body_template text,
      filter jsonb,
      "order" text,
      signature text NOT NULL DEFAULT 'mautic',
      event_names text NOT NULL DEFAULT 'native',
      consecutive_failures integer NOT NULL DEFAULT 0,
      disabled_reason text,
      disabled_at timestamptz,
      -- Drain lease: at most one batch per webhook in flight across all workers.
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhooks_events_idx ON webhooks USING gin (events);

    -- A batch is one delivery: a fixed body sent (and retried) under one delivery id.
    CREATE TABLE batches (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      mode text NOT NULL,
      status text NOT NULL DEFAULT 'pending',
      body text NOT NULL,
      event_count integer NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      -- Set while a process is sending it; an expired lock means that process died.
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX batches_pending_idx ON batches (webhook_id, created_at) WHERE status = 'pending';

    CREATE TABLE webhook_queue (
      id bigserial PRIMARY KEY,
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      event_id bigint NOT NULL REFERENCES events(id),
      batch_id uuid REFERENCES batches(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhook_queue_unbatched_idx ON webhook_queue (webhook_id, id) WHERE batch_id IS NULL;
    CREATE INDEX webhook_queue_batch_idx ON webhook_queue (batch_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE delivery_logs (
      id bigserial PRIMARY KEY,
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      batch_id uuid REFERENCES batches(id) ON DELETE SET NULL,
      mode text NOT NULL,
      status text NOT NULL,
      status_code integer,
      duration_ms integer NOT NULL,
      attempt integer NOT NULL,
      event_count integer NOT NULL,
      error text,
      response_snippet text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX delivery_logs_webhook_idx ON delivery_logs (webhook_id, id DESC);

    CREATE TABLE settings (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      data jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      role text NOT NULL CHECK (role IN ('admin', 'producer', 'viewer')),
      -- SHA-256 of the key: keys are high-entropy random strings, so a fast hash suffices.
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE IF EXISTS api_keys, settings, delivery_logs, webhook_queue, batches, webhooks, events CASCADE;
  `);
}
