import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { EventTypeCreate, EventTypePatch } from '@hookline/core';
import type { z } from 'zod';

type Runtime = () => Promise<typeof import('./runtime.js')>;

/** The zod problems as one line: `eventTypes.0.name: use letters, ...; ...`. */
function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

/**
 * `event-types list|create|archive|import`: the catalogue as data, straight in Postgres like the
 * rest of the CLI. Running processes pick a change up within 2 s (their catalogue poll).
 */
export function eventTypesCommand(program: Command, runtime: Runtime): void {
  const types = program.command('event-types').description('the event type catalogue');

  types
    .command('list')
    .description('list built-in and custom event types')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const { db, knex, renderTable } = await runtime();
      const all = await db.listEventTypes(knex);
      if (options.json) return console.log(JSON.stringify(all, null, 2));
      console.log(
        renderTable(
          ['name', 'mautic alias', 'kind', 'status', 'schema', 'description'],
          all.map((t) => [
            t.name,
            t.mauticName ?? '',
            t.builtIn ? 'built-in' : 'custom',
            t.archived ? 'archived' : 'active',
            t.schema ? 'yes' : 'no',
            t.description,
          ]),
        ),
      );
    });

  types
    .command('create')
    .description('add an event type')
    .argument('<name>', 'letters, digits, ".", "_" and "-", up to 100 characters')
    .option('--description <text>', 'what the event means', '')
    .option('--mautic-name <alias>', 'an alias producers may post instead')
    .option('--schema <file>', 'a JSON Schema (draft 2020-12) file its payloads must pass')
    .action(async (name: string, options: { description: string; mauticName?: string; schema?: string }) => {
      const { core, db, knex } = await runtime();
      const parsed = core.eventTypeCreateSchema.safeParse({
        name,
        description: options.description,
        mauticName: options.mauticName,
        schema: options.schema ? await readJson(options.schema) : undefined,
      });
      if (!parsed.success) throw new Error(problems(parsed.error));
      const saved = await db.insertEventType(knex, parsed.data);
      if (saved.outcome === 'conflict') throw new Error(saved.message);
      console.log(`created ${saved.eventType.name}`);
    });

  types
    .command('archive')
    .description('refuse new events of a type (subscriptions and history stay); --restore undoes it')
    .argument('<name>', 'the event type')
    .option('--restore', 'take new events again')
    .action(async (name: string, options: { restore?: boolean }) => {
      const { db, knex } = await runtime();
      const patch: EventTypePatch = { archived: !options.restore };
      const updated = await db.updateEventType(knex, name, patch);
      if (!updated) throw new Error(`no event type ${name}`);
      console.log(`${updated.archived ? 'archived' : 'restored'} ${updated.name}`);
    });

  types
    .command('import')
    .description('add or update the types of a catalogue file, e.g. catalogues/mitto.json')
    .argument('<file>', '{"eventTypes":[{"name","description","mauticName?","schema?"}]}')
    .action(async (file: string) => {
      const { core, db, knex } = await runtime();
      const parsed = core.catalogueFileSchema.safeParse(await readJson(file));
      if (!parsed.success) throw new Error(`${file}: ${problems(parsed.error)}`);
      const result = await db.importEventTypes(knex, parsed.data.eventTypes as EventTypeCreate[]);
      console.log(
        `${file}: ${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged`,
      );
      if (result.conflicts.length > 0) throw new Error(`not imported: ${result.conflicts.join('; ')}`);
    });
}
