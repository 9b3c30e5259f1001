import type { Knex } from 'knex';

// A webhook is configuration; each of its callback URLs is an endpoint, a row of its own that
// owns what delivery needs per URL: the drain lease, the failure streak, the disabled state, the
// queue rows, the batches and the delivery log. Until now a webhook's second, third… URL was a
// copy of the webhook row (`primary_id`), kept in step by the repository.
//
// Every webhook row becomes an endpoint with the same id, so queue rows, batches and log rows
// keep pointing at the right endpoint without being rewritten (renames only: no table is copied)
// and nothing is reordered. The copies then leave `webhooks`, and with them the per-URL columns.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
      position smallint NOT NULL,
      url text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      consecutive_failures integer NOT NULL DEFAULT 0,
      disabled_reason text,
      disabled_at timestamptz,
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO endpoints (id, webhook_id, position, url, enabled, consecutive_failures, disabled_reason,
      disabled_at, lease_owner, lease_until, created_at, updated_at)
    SELECT id, coalesce(primary_id, id), url_index, url, enabled, consecutive_failures, disabled_reason,
      disabled_at, lease_owner, lease_until, created_at, updated_at
    FROM webhooks;
    CREATE INDEX endpoints_webhook_idx ON endpoints (webhook_id, position);
    CREATE INDEX endpoints_disabled_idx ON endpoints (webhook_id) WHERE NOT enabled;

    -- Queue rows: an endpoint's, dropped with it (the trigger stands in for a foreign key, see
    -- migration 8).
    DROP TRIGGER webhook_queue_drop_deleted ON webhooks;
    DROP FUNCTION webhook_queue_drop_deleted();
    ALTER TABLE webhook_queue RENAME TO endpoint_queue;
    ALTER TABLE endpoint_queue RENAME COLUMN webhook_id TO endpoint_id;
    ALTER INDEX webhook_queue_webhook_idx RENAME TO endpoint_queue_endpoint_idx;
    ALTER SEQUENCE webhook_queue_id_seq RENAME TO endpoint_queue_id_seq;
    CREATE FUNCTION endpoint_queue_drop_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM endpoint_queue WHERE endpoint_id = OLD.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER endpoint_queue_drop_deleted AFTER DELETE ON endpoints
      FOR EACH ROW EXECUTE FUNCTION endpoint_queue_drop_deleted();

    -- Batches and delivery log rows: an endpoint's.
    ALTER TABLE batches DROP CONSTRAINT batches_webhook_id_fkey;
    ALTER TABLE batches RENAME COLUMN webhook_id TO endpoint_id;
    ALTER TABLE batches ADD CONSTRAINT batches_endpoint_id_fkey
      FOREIGN KEY (endpoint_id) REFERENCES endpoints(id) ON DELETE CASCADE;
    ALTER TABLE delivery_logs DROP CONSTRAINT delivery_logs_webhook_id_fkey;
    ALTER TABLE delivery_logs RENAME COLUMN webhook_id TO endpoint_id;
    ALTER INDEX delivery_logs_webhook_idx RENAME TO delivery_logs_endpoint_idx;
    ALTER TABLE delivery_logs ADD CONSTRAINT delivery_logs_endpoint_id_fkey
      FOREIGN KEY (endpoint_id) REFERENCES endpoints(id) ON DELETE CASCADE;

    -- Stats were counted under the webhook already; any row of a copy joins its webhook's.
    INSERT INTO delivery_stats AS s (webhook_id, minute, success, failed, latency, queue_depth, retry_backlog)
    SELECT w.primary_id, d.minute, d.success, d.failed, d.latency, d.queue_depth, d.retry_backlog
    FROM delivery_stats d JOIN webhooks w ON w.id = d.webhook_id WHERE w.primary_id IS NOT NULL
    ON CONFLICT (webhook_id, minute) DO UPDATE SET
      success = s.success + EXCLUDED.success,
      failed = s.failed + EXCLUDED.failed,
      latency = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)
                      FROM unnest(s.latency, EXCLUDED.latency) WITH ORDINALITY AS x(a, b, i) ORDER BY i),
      queue_depth = CASE WHEN s.queue_depth IS NULL AND EXCLUDED.queue_depth IS NULL THEN NULL
                         ELSE coalesce(s.queue_depth, 0) + coalesce(EXCLUDED.queue_depth, 0) END,
      retry_backlog = CASE WHEN s.retry_backlog IS NULL AND EXCLUDED.retry_backlog IS NULL THEN NULL
                           ELSE coalesce(s.retry_backlog, 0) + coalesce(EXCLUDED.retry_backlog, 0) END;

    -- The copies go (their endpoints stay, under the webhook); so do the per-URL columns.
    ALTER TABLE webhooks DROP CONSTRAINT webhooks_primary_id_fkey;
    DELETE FROM webhooks WHERE primary_id IS NOT NULL;
    ALTER TABLE webhooks
      DROP COLUMN url, DROP COLUMN enabled, DROP COLUMN consecutive_failures, DROP COLUMN disabled_reason,
      DROP COLUMN disabled_at, DROP COLUMN lease_owner, DROP COLUMN lease_until, DROP COLUMN primary_id,
      DROP COLUMN url_index;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE webhooks
      ADD COLUMN url text, ADD COLUMN enabled boolean NOT NULL DEFAULT true,
      ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0, ADD COLUMN disabled_reason text,
      ADD COLUMN disabled_at timestamptz, ADD COLUMN lease_owner text, ADD COLUMN lease_until timestamptz,
      ADD COLUMN primary_id uuid REFERENCES webhooks(id) ON DELETE CASCADE,
      ADD COLUMN url_index smallint NOT NULL DEFAULT 0;
    -- Each endpoint becomes a webhook row again, with its own id: the first one the webhook itself
    -- (an endpoint made after the upgrade has an id of its own, so it moves into the webhook's).
    UPDATE webhooks w SET url = e.url, enabled = e.enabled, consecutive_failures = e.consecutive_failures,
      disabled_reason = e.disabled_reason, disabled_at = e.disabled_at
    FROM (SELECT DISTINCT ON (webhook_id) * FROM endpoints ORDER BY webhook_id, position) e
    WHERE e.webhook_id = w.id;
    INSERT INTO webhooks (id, name, description, url, events, enabled, secret, method, content_type,
      body_template, filter, "order", signature, event_names, consecutive_failures, disabled_reason,
      disabled_at, created_at, updated_at, headers, previous_secret, previous_secret_expires_at, trigger,
      token, reply_event_type, primary_id, url_index)
    SELECT e.id, w.name, w.description, e.url, w.events, e.enabled, w.secret, w.method, w.content_type,
      w.body_template, w.filter, w."order", w.signature, w.event_names, e.consecutive_failures,
      e.disabled_reason, e.disabled_at, e.created_at, e.updated_at, w.headers, w.previous_secret,
      w.previous_secret_expires_at, w.trigger, w.token, w.reply_event_type, w.id, e.position
    FROM endpoints e JOIN webhooks w ON w.id = e.webhook_id
    WHERE e.id <> w.id AND e.position > 0;
    ALTER TABLE webhooks ALTER COLUMN url SET NOT NULL;
    CREATE INDEX webhooks_primary_idx ON webhooks (primary_id) WHERE primary_id IS NOT NULL;
    CREATE INDEX webhooks_disabled_idx ON webhooks (id) WHERE NOT enabled;

    -- Rows of a first endpoint whose id is not its webhook's move to the webhook's id.
    CREATE TEMP TABLE endpoint_moves AS
      SELECT e.id AS endpoint_id, CASE WHEN e.position = 0 THEN e.webhook_id ELSE e.id END AS row_id
      FROM endpoints e;
    ALTER TABLE delivery_logs DROP CONSTRAINT delivery_logs_endpoint_id_fkey;
    ALTER TABLE batches DROP CONSTRAINT batches_endpoint_id_fkey;
    UPDATE delivery_logs l SET endpoint_id = m.row_id FROM endpoint_moves m
      WHERE m.endpoint_id = l.endpoint_id AND m.row_id <> m.endpoint_id;
    UPDATE batches b SET endpoint_id = m.row_id FROM endpoint_moves m
      WHERE m.endpoint_id = b.endpoint_id AND m.row_id <> m.endpoint_id;
    UPDATE endpoint_queue q SET endpoint_id = m.row_id FROM endpoint_moves m
      WHERE m.endpoint_id = q.endpoint_id AND m.row_id <> m.endpoint_id;
    DROP TABLE endpoint_moves;

    ALTER TABLE delivery_logs RENAME COLUMN endpoint_id TO webhook_id;
    ALTER INDEX delivery_logs_endpoint_idx RENAME TO delivery_logs_webhook_idx;
    ALTER TABLE delivery_logs ADD CONSTRAINT delivery_logs_webhook_id_fkey
      FOREIGN KEY (webhook_id) REFERENCES webhooks(id) ON DELETE CASCADE;
    ALTER TABLE batches RENAME COLUMN endpoint_id TO webhook_id;
    ALTER TABLE batches ADD CONSTRAINT batches_webhook_id_fkey
      FOREIGN KEY (webhook_id) REFERENCES webhooks(id) ON DELETE CASCADE;

    DROP TRIGGER endpoint_queue_drop_deleted ON endpoints;
    DROP FUNCTION endpoint_queue_drop_deleted();
    ALTER TABLE endpoint_queue RENAME COLUMN endpoint_id TO webhook_id;
    ALTER TABLE endpoint_queue RENAME TO webhook_queue;
    ALTER INDEX endpoint_queue_endpoint_idx RENAME TO webhook_queue_webhook_idx;
    ALTER SEQUENCE endpoint_queue_id_seq RENAME TO webhook_queue_id_seq;
    CREATE FUNCTION webhook_queue_drop_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM webhook_queue WHERE webhook_id = OLD.id;
      RETURN NULL;
    END $$;
    CREATE TRIGGER webhook_queue_drop_deleted AFTER DELETE ON webhooks
      FOR EACH ROW EXECUTE FUNCTION webhook_queue_drop_deleted();

    DROP TABLE endpoints;
  `);
}
