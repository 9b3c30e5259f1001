import type { EventType, EventTypeCreate, EventTypePatch } from '@hookline/core';
import type { Db } from './connect.js';

interface EventTypeRow {
  name: string;
  description: string;
  mautic_name: string | null;
  schema: Record<string, unknown> | null;
  archived: boolean;
  built_in: boolean;
  version: number;
}

const COLUMNS = ['name', 'description', 'mautic_name', 'schema', 'archived', 'built_in', 'version'];

function fromRow(r: EventTypeRow): EventType {
  return {
    name: r.name,
    description: r.description,
    mauticName: r.mautic_name,
    schema: r.schema,
    archived: r.archived,
    builtIn: r.built_in,
    version: r.version,
  };
}

/** Built-in types first (in their seeded order), then custom ones by name. */
export async function listEventTypes(db: Db): Promise<EventType[]> {
  const rows = await db('event_types')
    .select(COLUMNS)
    .orderBy([{ column: 'built_in', order: 'desc' }, { column: 'created_at' }, { column: 'name' }])
    .then((r: EventTypeRow[]) => r);
  return rows.map(fromRow);
}

/**
 * Changes whenever a type is added, changed (every change bumps its version) or deleted: what the
 * cache polls. A digest of names and versions, not max(updated_at): a transaction that began
 * earlier can commit an older timestamp after a poll has read a newer one.
 */
export async function eventTypesStamp(db: Db): Promise<string> {
  const row = await db('event_types')
    .select(db.raw(`coalesce(md5(string_agg(name || ':' || version, ',' ORDER BY name)), '') AS stamp`))
    .first<{ stamp: string }>();
  return row.stamp;
}

export type SaveEventTypeOutcome =
  | { outcome: 'created'; eventType: EventType }
  | { outcome: 'updated'; eventType: EventType }
  | { outcome: 'conflict'; message: string };

/**
 * Adds a custom type. Its name and alias must not be any type's name or alias (Mautic names
 * resolve to Hookline names, so one word must mean one type).
 */
export async function insertEventType(db: Db, input: EventTypeCreate): Promise<SaveEventTypeOutcome> {
  const words = [input.name, ...(input.mauticName ? [input.mauticName] : [])];
  const clash = await db('event_types')
    .select('name')
    .whereIn('name', words)
    .orWhereIn('mautic_name', words)
    .first<{ name: string } | undefined>();
  if (clash) return { outcome: 'conflict', message: `"${clash.name}" already uses that name or alias.` };
  const [row] = await db('event_types')
    .insert({
      name: input.name,
      description: input.description,
      mautic_name: input.mauticName ?? null,
      schema: input.schema ? JSON.stringify(input.schema) : null,
    })
    .onConflict()
    .ignore()
    .returning<EventTypeRow[]>(COLUMNS);
  if (!row) return { outcome: 'conflict', message: `"${input.name}" already exists.` };
  return { outcome: 'created', eventType: fromRow(row) };
}

/** Changes a type; a new schema or archived flag bumps its version. Undefined when there is none. */
export async function updateEventType(
  db: Db,
  name: string,
  patch: EventTypePatch,
): Promise<EventType | undefined> {
  const changes: Record<string, unknown> = {};
  if (patch.description !== undefined) changes.description = patch.description;
  if (patch.schema !== undefined)
    changes.schema = patch.schema === null ? null : JSON.stringify(patch.schema);
  if (patch.archived !== undefined) changes.archived = patch.archived;
  const [row] = await db('event_types')
    .where({ name })
    .update({ ...changes, version: db.raw('version + 1'), updated_at: db.fn.now() })
    .returning<EventTypeRow[]>(COLUMNS);
  return row ? fromRow(row) : undefined;
}

export type DeleteEventTypeOutcome =
  { outcome: 'deleted' } | { outcome: 'not_found' } | { outcome: 'conflict'; message: string };

/** Deletes a custom type no webhook subscribes to (history keeps its name on the events). */
export async function deleteEventType(db: Db, name: string): Promise<DeleteEventTypeOutcome> {
  return db.transaction(async (trx) => {
    const type = await trx('event_types')
      .select('built_in')
      .where({ name })
      .forUpdate()
      .first<{ built_in: boolean } | undefined>();
    if (!type) return { outcome: 'not_found' };
    if (type.built_in) {
      return { outcome: 'conflict', message: `"${name}" is built in; archive it instead.` };
    }
    const subscriber = await trx('webhooks')
      .select('id')
      .whereRaw(':name = ANY(events)', { name })
      .first<{ id: string } | undefined>();
    if (subscriber) {
      return {
        outcome: 'conflict',
        message: `Webhook ${subscriber.id} subscribes to "${name}"; archive it instead, or unsubscribe first.`,
      };
    }
    await trx('event_types').where({ name }).delete();
    return { outcome: 'deleted' };
  });
}

/** JSON with object keys sorted: jsonb gives a stored schema's keys back in its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * A catalogue file's types: new ones are added, custom ones already there get its description and
 * schema (so importing twice changes nothing), built-in ones are left alone.
 */
export async function importEventTypes(
  db: Db,
  inputs: readonly EventTypeCreate[],
): Promise<{ created: string[]; updated: string[]; unchanged: string[]; conflicts: string[] }> {
  return db.transaction(async (trx) => {
    const result = {
      created: [] as string[],
      updated: [] as string[],
      unchanged: [] as string[],
      conflicts: [] as string[],
    };
    const existing = new Map((await listEventTypes(trx)).map((t) => [t.name, t]));
    for (const input of inputs) {
      const current = existing.get(input.name);
      if (!current) {
        const saved = await insertEventType(trx, input);
        if (saved.outcome === 'conflict') result.conflicts.push(`${input.name}: ${saved.message}`);
        else result.created.push(input.name);
        continue;
      }
      const schema = input.schema ?? null;
      if (
        current.builtIn ||
        (current.description === input.description &&
          canonical(current.schema) === canonical(schema) &&
          !current.archived)
      ) {
        result.unchanged.push(input.name);
        continue;
      }
      await updateEventType(trx, input.name, { description: input.description, schema, archived: false });
      result.updated.push(input.name);
    }
    return result;
  });
}
