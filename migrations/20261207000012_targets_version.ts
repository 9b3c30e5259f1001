import type { Knex } from 'knex';

// Ingest's fan-out reads, once per group commit, which endpoints of each application take the
// events' types. With 1,000 applications a group holds events of dozens of them, and reading (and
// locking) every one of their endpoints each time cost ingest a quarter of its rate. Instead each
// application carries a version that changes whenever anything fan-out reads changes: a webhook
// of it is created, changed or deleted, or an endpoint is added, removed, moved, re-pointed,
// enabled or disabled (not its lease or failure streak, which change with every drain). Ingest
// reads one number per application and reads targets again only when that version moved.
//
// Ingest reads the versions through targets_of_apps, which first takes a shared advisory lock per
// application; a version bump takes the exclusive one, so it waits for every group commit that
// read the old targets to commit. A deleted endpoint's trigger therefore runs after those groups'
// queue rows are visible, and deletes them: no queue row is left without its endpoint (the
// guarantee a KEY SHARE lock per endpoint row gave). Advisory locks live in memory: a row lock
// per application writes WAL and dirties a page, and cost ingest a few percent with 1,000
// applications. The bump happens BEFORE the change, so the wait comes first; and the versions
// are read after the locks, in a statement of their own (a plpgsql function's statements each
// take a new snapshot), so a group that waited sees the new version.
//
// The version is drawn from a sequence, not counted per row: an application deleted and created
// again under the same id never shows an old version again.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE SEQUENCE targets_version_seq;
    ALTER TABLE applications ADD COLUMN targets_version bigint NOT NULL DEFAULT nextval('targets_version_seq');

    -- The advisory lock's first key names what it guards; the second is the application's. The
    -- versions are read by a statement of their own, so one that waited for a bump sees it; by
    -- one index probe per application, as the planner would rather scan a small table whole (a
    -- quarter of a group commit's time with 1,000 applications).
    CREATE FUNCTION targets_of_apps(apps text[]) RETURNS TABLE (id text, version text) LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(hashtext('targets_version'), hashtext(distinct_apps.app))
        FROM (SELECT DISTINCT unnest(apps) AS app) AS distinct_apps;
      RETURN QUERY SELECT a.id, a.targets_version::text FROM unnest(apps) AS u(app)
        CROSS JOIN LATERAL (SELECT * FROM applications WHERE applications.id = u.app LIMIT 1) AS a;
    END $$;

    CREATE FUNCTION bump_targets_version(app text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('targets_version'), hashtext(app));
      UPDATE applications SET targets_version = nextval('targets_version_seq') WHERE id = app;
    END $$;

    CREATE FUNCTION webhook_targets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN PERFORM bump_targets_version(OLD.app_id); END IF;
      IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.app_id <> OLD.app_id) THEN
        PERFORM bump_targets_version(NEW.app_id);
      END IF;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$;
    CREATE TRIGGER webhook_targets_changed BEFORE INSERT OR DELETE ON webhooks
      FOR EACH ROW EXECUTE FUNCTION webhook_targets_changed();
    CREATE TRIGGER webhook_targets_updated BEFORE UPDATE ON webhooks
      FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION webhook_targets_changed();

    -- An endpoint deleted with its webhook finds no webhook here: the webhook's own trigger bumped.
    -- A failed delivery writes enabled (and the streak) on every failure: only a change bumps.
    CREATE FUNCTION endpoint_targets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM bump_targets_version(w.app_id) FROM webhooks w
        WHERE w.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.webhook_id ELSE NEW.webhook_id END;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$;
    CREATE TRIGGER endpoint_targets_changed BEFORE INSERT OR DELETE ON endpoints
      FOR EACH ROW EXECUTE FUNCTION endpoint_targets_changed();
    CREATE TRIGGER endpoint_targets_updated BEFORE UPDATE ON endpoints
      FOR EACH ROW WHEN ((OLD.url, OLD.position, OLD.enabled, OLD.webhook_id)
        IS DISTINCT FROM (NEW.url, NEW.position, NEW.enabled, NEW.webhook_id))
      EXECUTE FUNCTION endpoint_targets_changed();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TRIGGER endpoint_targets_updated ON endpoints;
    DROP TRIGGER endpoint_targets_changed ON endpoints;
    DROP FUNCTION endpoint_targets_changed();
    DROP TRIGGER webhook_targets_updated ON webhooks;
    DROP TRIGGER webhook_targets_changed ON webhooks;
    DROP FUNCTION webhook_targets_changed();
    DROP FUNCTION bump_targets_version(text);
    DROP FUNCTION targets_of_apps(text[]);
    ALTER TABLE applications DROP COLUMN targets_version;
    DROP SEQUENCE targets_version_seq;
  `);
}
