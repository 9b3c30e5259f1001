import type { PortalSettings } from '@hookline/core';
import type { Db } from './connect.js';

// The applications table: an organization's applications, each with its own webhooks, events,
// keys, logs and stats (migration 11 says how each row names its application).

export interface Application {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  /** Events per second it may post, across every ingest process; null: no limit. */
  rateLimit: number | null;
  /** How its customers' portal looks. */
  portal: PortalSettings;
  createdAt: Date;
}

interface ApplicationRow {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  rate_limit: number | null;
  portal: PortalSettings;
  created_at: Date;
}

const COLUMNS = ['id', 'org_id', 'name', 'description', 'rate_limit', 'portal', 'created_at'];

const fromRow = (r: ApplicationRow): Application => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  description: r.description,
  rateLimit: r.rate_limit,
  portal: r.portal,
  createdAt: r.created_at,
});

export type ApplicationChanges = Partial<Pick<Application, 'name' | 'description' | 'rateLimit' | 'portal'>>;

const toRow = (changes: ApplicationChanges) => ({
  ...(changes.name !== undefined ? { name: changes.name } : {}),
  ...(changes.description !== undefined ? { description: changes.description } : {}),
  ...(changes.rateLimit !== undefined ? { rate_limit: changes.rateLimit } : {}),
  ...(changes.portal !== undefined ? { portal: JSON.stringify(changes.portal) } : {}),
});

/** Creates an application; a taken id throws a unique violation (ids are installation-wide). */
export async function createApplication(
  db: Db,
  app: { id: string; orgId: string; name: string; description: string | null },
): Promise<Application> {
  const [row] = await db('applications')
    .insert({ id: app.id, org_id: app.orgId, name: app.name, description: app.description })
    .returning<ApplicationRow[]>(COLUMNS);
  return fromRow(row!);
}

export async function getApplication(db: Db, id: string): Promise<Application | undefined> {
  const row = await db('applications').select(COLUMNS).where({ id }).first<ApplicationRow | undefined>();
  return row ? fromRow(row) : undefined;
}

/** The applications of these ids that exist, by id. */
export async function getApplications(db: Db, ids: readonly string[]): Promise<Map<string, Application>> {
  const rows = (await db('applications').select(COLUMNS).whereIn('id', ids)) as ApplicationRow[];
  return new Map(rows.map((row) => [row.id, fromRow(row)]));
}

/** An organization's applications (every application without `orgId`), oldest first. */
export async function listApplications(db: Db, orgId?: string): Promise<Application[]> {
  const query = db('applications').select(COLUMNS).orderBy('created_at').orderBy('id');
  if (orgId !== undefined) void query.where({ org_id: orgId });
  return ((await query) as ApplicationRow[]).map(fromRow);
}

export async function updateApplication(
  db: Db,
  id: string,
  changes: ApplicationChanges,
): Promise<Application | undefined> {
  const row = toRow(changes);
  if (Object.keys(row).length === 0) return getApplication(db, id);
  const [updated] = await db('applications').where({ id }).update(row).returning<ApplicationRow[]>(COLUMNS);
  return updated ? fromRow(updated) : undefined;
}

/**
 * Deletes an application that holds no webhook (`holds_webhooks` otherwise), with its events
 * (which carry no foreign key, see migration 11), its keys and its members' roles on it.
 */
export async function deleteApplication(
  db: Db,
  id: string,
): Promise<'deleted' | 'missing' | 'holds_webhooks'> {
  return db.transaction(async (trx) => {
    const app = await trx('applications').where({ id }).forUpdate().first();
    if (!app) return 'missing';
    if (await trx('webhooks').where({ app_id: id }).first()) return 'holds_webhooks';
    await trx('events').where({ app_id: id }).delete();
    await trx('applications').where({ id }).delete();
    return 'deleted';
  });
}
