import { z } from 'zod';
import { errorResponseSchema } from './response-schemas.js';
import { installationRoles, pathsOf, type Route } from './route.js';

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed or invalid request (payload_too_complex: nested or wide past HOOKLINE_MAX_DEPTH/_KEYS)',
  401: 'No or unknown API key',
  403: 'The key lacks the role',
  404: 'Not found',
  409: 'Conflict (e.g. the batch is being sent by another process)',
  413: 'Body over 1 MiB',
  415: 'Not JSON',
  422: 'Unknown event type, invalid URL or hop limit',
  429: 'Rate limited (Retry-After)',
  503: 'Storage unavailable (Retry-After)',
};

/** Request bodies are documented as clients send them (defaults optional), replies as sent. */
const schemaOf = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });

function operationObject(op: Route, path: string) {
  const json = (schema: z.ZodType) => ({ 'application/json': { schema: schemaOf(schema, 'output') } });
  const authenticated = op.access !== 'public';
  const tenant = typeof op.access === 'object' && !('installation' in op.access);
  const errorStatuses = [
    ...(authenticated ? [401, 403] : []),
    ...(tenant ? [404] : []),
    ...(op.errors ?? []),
  ];
  const roles = installationRoles(op.access);
  const parameters = [
    ...[...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...Object.entries(op.query ? (schemaOf(op.query, 'input').properties ?? {}) : {}).map(
      ([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }),
    ),
  ];
  return {
    summary: op.summary,
    // `x-roles` (the installation roles that may call it) is machine-readable for clients and
    // for the auth-matrix test; tenant routes also take members and app keys (docs/TENANCY.md).
    ...(authenticated
      ? {
          security: [{ bearer: [] }],
          description: `Installation roles: ${roles.join(', ')}.${tenant ? ' Members and app keys: see docs/TENANCY.md.' : ''}`,
          'x-roles': roles,
        }
      : { security: [], 'x-roles': [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(op.body, 'input') } },
          },
        }
      : {}),
    responses: {
      [op.status]: {
        description: 'Success',
        ...(op.response ? { content: json(op.response) } : {}),
      },
      ...Object.fromEntries(
        (op.otherReplies ?? []).map((r) => [
          r.status,
          { description: r.description, content: json(r.response) },
        ]),
      ),
      ...Object.fromEntries(
        [...new Set(errorStatuses)].map((s) => [
          s,
          { description: ERROR_TEXT[s] ?? 'Error', content: json(errorResponseSchema) },
        ]),
      ),
    },
  };
}

/** The OpenAPI 3.1 document, generated from the route table and the zod schemas it validates with. */
export function openApiDocument(routes: readonly Route[], options: { version: string; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routes)
    for (const path of pathsOf(op)) (paths[path] ??= {})[op.method] = operationObject(op, path);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookline',
      version: options.version,
      description:
        'Queue-backed webhook delivery. Errors are always {"error":{"code","message","details"}}; ' +
        'authenticate with "Authorization: Bearer <key>".',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
