import { z } from 'zod';
import { EVENT_TYPE_NAME, eventTypeCreateSchema, eventTypePatchSchema, type EventType } from '@hookline/core';
import { deleteEventType, insertEventType, updateEventType } from '@hookline/db';
import { ApiError } from '../api-error.js';
import type { ApiDeps } from '../api-deps.js';
import { eventTypeSchema } from '../response-schemas.js';
import { route, type Route } from '../route.js';

const eventTypeJson = (t: EventType) => ({
  name: t.name,
  description: t.description,
  mauticName: t.mauticName,
  schema: t.schema,
  builtIn: t.builtIn,
  archived: t.archived,
});

const typePath = '/v1/event-types/{name}';

function typeName(raw: string | string[] | undefined): string {
  const name = String(raw);
  if (!EVENT_TYPE_NAME.test(name)) throw new ApiError('not_found', `No event type ${name}.`);
  return name;
}

/**
 * The event catalogue as data. Each change refreshes this process's catalogue at once; other
 * processes see it at their next poll (within 2 s).
 */
export function eventTypeRoutes(deps: ApiDeps): Route[] {
  const { catalogue, logger } = deps.engine;
  const { knex } = deps;

  return [
    route({
      method: 'get',
      path: '/v1/event-types',
      summary: 'The event type catalogue: built-in and custom types (installation-wide; any key reads it)',
      access: 'authenticated',
      status: 200,
      response: z.array(eventTypeSchema),
      handler: (_req, res) => {
        res.json(catalogue.current().types.map(eventTypeJson));
      },
    }),
    route({
      method: 'post',
      path: '/v1/event-types',
      summary: 'Add an event type (optionally with a JSON Schema its payloads must pass)',
      access: { installation: [] },
      body: eventTypeCreateSchema,
      status: 201,
      response: eventTypeSchema,
      errors: [400, 409],
      handler: async (_req, res, { body: input }) => {
        if (input.name.startsWith('system.') || input.mauticName?.startsWith('system.')) {
          throw new ApiError(
            'invalid_body',
            'name: the "system." prefix is kept for Hookline\'s own events.',
          );
        }
        const saved = await insertEventType(knex, input);
        if (saved.outcome === 'conflict') throw new ApiError('conflict', saved.message);
        await catalogue.refresh();
        logger.info('event type created', { eventType: input.name });
        res.status(201).json(eventTypeJson(saved.eventType));
      },
    }),
    route({
      method: 'patch',
      path: typePath,
      summary: 'Change an event type: description, schema, archived',
      access: { installation: [] },
      body: eventTypePatchSchema,
      status: 200,
      response: eventTypeSchema,
      errors: [400, 404],
      handler: async (req, res, { body: patch }) => {
        const name = typeName(req.params.name);
        const updated = await updateEventType(knex, name, patch);
        if (!updated) throw new ApiError('not_found', `No event type ${name}.`);
        await catalogue.refresh();
        logger.info('event type changed', { eventType: name, fields: Object.keys(patch) });
        res.json(eventTypeJson(updated));
      },
    }),
    route({
      method: 'delete',
      path: typePath,
      summary: 'Delete a custom event type no webhook subscribes to',
      access: { installation: [] },
      status: 204,
      errors: [404, 409],
      handler: async (req, res) => {
        const name = typeName(req.params.name);
        const deleted = await deleteEventType(knex, name);
        if (deleted.outcome === 'not_found') throw new ApiError('not_found', `No event type ${name}.`);
        if (deleted.outcome === 'conflict') throw new ApiError('conflict', deleted.message);
        await catalogue.refresh();
        logger.info('event type deleted', { eventType: name });
        res.status(204).end();
      },
    }),
  ];
}
