import { z } from 'zod';
import { payloadSchemaProblem } from './payload-schema.js';

/** Letters, digits, `.`, `_`, `-`, up to 100 characters: `JOB_START`, `deployment.requested`. */
export const EVENT_TYPE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

const eventTypeName = z
  .string()
  .regex(EVENT_TYPE_NAME, 'use letters, digits, ".", "_" and "-", up to 100 characters');

const payloadSchema = z
  .record(z.string(), z.unknown())
  .nullable()
  .superRefine((schema, ctx) => {
    const problem = schema === null ? undefined : payloadSchemaProblem(schema);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A new event type, as the API, the CLI and catalogue files give it. */
export const eventTypeCreateSchema = z
  .object({
    name: eventTypeName,
    description: z.string().max(2000).default(''),
    /** An alias producers may post instead (like Mautic's `mautic.form_on_submit`). */
    mauticName: eventTypeName.nullable().optional(),
    schema: payloadSchema.optional(),
  })
  .strict();

export const eventTypePatchSchema = z
  .object({
    description: z.string().max(2000),
    schema: payloadSchema,
    archived: z.boolean(),
  })
  .partial()
  .strict();

/** A catalogue file (`catalogues/*.json`): `{"eventTypes":[...]}`. */
export const catalogueFileSchema = z
  .object({
    description: z.string().optional(),
    eventTypes: z.array(eventTypeCreateSchema).min(1).max(1000),
  })
  .strict();

export type EventTypeCreate = z.infer<typeof eventTypeCreateSchema>;
export type EventTypePatch = z.infer<typeof eventTypePatchSchema>;
