// What the CLI's commands need when they run: loaded on first use (main.ts imports it lazily), so
// `--help` and argument errors answer without loading Postgres, HTTP and validation libraries.
import {
  baseEnvSchema,
  catalogueFileSchema,
  ConfigError,
  deliveryOptionsFromEnv,
  eventTypeCreateSchema,
  isUuid,
  appCreateSchema,
  DEFAULT_APP,
  memberCreateSchema,
  orgCreateSchema,
  parseEnv,
  portalAccessSchema,
} from '@hookline/core';
import type { z } from 'zod';
import {
  connect,
  createApiKey,
  endpointQueueDepth,
  endpointsWithDueWork,
  getEndpoints,
  getSettings,
  importEventTypes,
  insertEventType,
  listEventTypes,
  queueDepthByWebhook,
  updateEventType,
  updateSettings,
} from '@hookline/db';
import { drainEndpoint, startEngine, type DrainSummary } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import {
  addMember,
  createApp,
  createOrg,
  grantPortalAccess,
  listApps,
  listOrgMembers,
  listOrgs,
  listWebhooks,
  OPERATOR,
  recoverWebhook,
  showWebhook,
  type Outcome,
} from '@hookline/use-cases';
import pkg from '../../../package.json' with { type: 'json' };
import { CliError } from './cli-error.js';
import { drainProgress, type ProgressStyle } from './progress.js';

// Named one by one (not `export * as`), so the dead-code check sees what the CLI uses.
export const core = { catalogueFileSchema, eventTypeCreateSchema };
export const db = {
  createApiKey,
  getSettings,
  importEventTypes,
  insertEventType,
  listEventTypes,
  queueDepthByWebhook,
  updateEventType,
  updateSettings,
};
export { tailDeliveries } from './deliveries-tail.js';
export { renderTable } from './print-table.js';
export { parseAssignments } from './settings-assignments.js';

export const env = (() => {
  try {
    return parseEnv(baseEnvSchema, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`cli: ${err.message}\n`);
    process.exit(1);
  }
})();
const quiet = () => undefined;
// A failure is reported as one line by main.ts; knex would also print its own warning to stdout.
export const knex = connect(env.DATABASE_URL, {
  poolMax: 4,
  log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
});

/** The input as the API's schema takes it, or its problems as one line (CliError). */
function checked<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new CliError(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

/** A use case's value; its refusal is one line on stderr, exit 1 (CliError). */
function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new CliError(outcome.refusal.message);
  return outcome.value;
}

const logger = createLogger({ service: 'cli', level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL });

/** The use cases the CLI runs, as the operator (it holds the database's credentials). */
const reads = { knex };
const writes = { knex, logger };
export const useCases = {
  listWebhooks: async (appId: string) => valueOf(await listWebhooks(reads, OPERATOR, appId)),
  recoverWebhook: async (appId: string, id: string, since: Date) =>
    valueOf(await recoverWebhook(writes, OPERATOR, appId, id, since)),
  listOrgs: async () => valueOf(await listOrgs(reads, OPERATOR)),
  createOrg: async (input: z.input<typeof orgCreateSchema>) =>
    valueOf(await createOrg(writes, OPERATOR, checked(orgCreateSchema, input))),
  listApps: async (orgId: string) => valueOf(await listApps(reads, OPERATOR, orgId)),
  createApp: async (orgId: string, input: z.input<typeof appCreateSchema>) =>
    valueOf(await createApp(writes, OPERATOR, orgId, checked(appCreateSchema, input))),
  addMember: async (orgId: string, input: z.input<typeof memberCreateSchema>) =>
    valueOf(await addMember(writes, OPERATOR, orgId, checked(memberCreateSchema, input))),
  listMembers: async (orgId: string) => valueOf(await listOrgMembers(reads, OPERATOR, orgId)),
  portalLink: async (appId: string, input: z.input<typeof portalAccessSchema>) =>
    valueOf(
      await grantPortalAccess(
        { ...writes, publicUrl: env.PUBLIC_URL },
        OPERATOR,
        appId,
        checked(portalAccessSchema, input),
      ),
    ),
};

/** The endpoints' ids, in order, of the application's webhook `id`, or a clear error for a bad or unknown id. */
export async function webhookEndpoints(appId: string, id: string): Promise<string[]> {
  if (!isUuid(id))
    throw new CliError(`not a webhook id: ${JSON.stringify(id)} (ids are UUIDs; see webhooks list)`);
  // The same lookup (and access check) as every use case on a webhook; the CLI words it its way.
  const shown = await showWebhook(reads, OPERATOR, appId, id);
  if (!shown.ok)
    throw new CliError(
      shown.refusal.code !== 'not_found'
        ? shown.refusal.message
        : `no webhook ${id}${appId === DEFAULT_APP ? '' : ` in application ${appId}`}`,
    );
  return shown.value.endpoints.map((e) => e.id);
}

/** The ids of the application's endpoints with work due (every application's without one). */
export async function endpointsToDrain(appId: string | undefined): Promise<string[]> {
  const due = await endpointsWithDueWork(knex);
  return due.filter((w) => appId === undefined || w.appId === appId).map((w) => w.endpointId);
}

/** Why a drain left work behind, or undefined when it did not (busy counts when a webhook was named). */
function unfinishedReason(s: DrainSummary, named: boolean): string | undefined {
  if (s.failed > 0) return `had ${s.failed} failed batch(es)`;
  if (s.result === 'blocked') return 'is blocked: its next batch waits for a retry or is being sent';
  if (s.result === 'disabled') return 'is disabled (enable it first)';
  if (s.result === 'busy' && named) return 'is busy: another worker is draining it';
  return undefined;
}

/**
 * Drains endpoints now, in this process, under the same lease as workers, with a progress bar
 * or lines; exit 2 (CliError) when work is left behind.
 */
export async function drainWithProgress(
  ids: readonly string[],
  progressOption: 'auto' | ProgressStyle,
  options: { cut: boolean; busyIsUnfinished: boolean },
): Promise<void> {
  const style = progressOption === 'auto' ? (process.stdout.isTTY ? 'bar' : 'lines') : progressOption;
  const engine = await startEngine({
    knex,
    logger,
    ...deliveryOptionsFromEnv(env, pkg.version),
  });
  try {
    const unfinished: string[] = [];
    for (const endpoint of await getEndpoints(knex, ids)) {
      // Named by its webhook, and by its URL when it is not the webhook's first.
      const name = `${endpoint.webhookId}${endpoint.position > 0 ? ` (${endpoint.url})` : ''}`;
      const progress = drainProgress(
        style,
        `webhook ${name}`,
        await endpointQueueDepth(knex, endpoint.id),
        process.stdout,
      );
      const summary = await drainEndpoint(engine, endpoint.id, {
        onBatch: progress.onBatch,
        cut: options.cut,
      });
      progress.done(summary);
      const why = unfinishedReason(summary, options.busyIsUnfinished);
      if (why) unfinished.push(`${name} ${why}`);
    }
    if (unfinished.length > 0) throw new CliError(`not delivered: ${unfinished.join('; ')}`, 2);
  } finally {
    await engine.flushStats();
    engine.stop();
  }
}
