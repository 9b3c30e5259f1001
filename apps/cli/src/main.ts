// `npm run cli -- <command>`: the ops CLI. Talks to Postgres directly (like Mautic's console), so
// it works while the API is down; `process` drains under the same per-webhook lease as workers.
import { Command, InvalidArgumentError, Option } from 'commander';
import { baseEnvSchema, ConfigError, deliveryOptionsFromEnv, isUuid, parseEnv } from '@hookline/core';
import {
  connect,
  createApiKey,
  getSettings,
  getWebhook,
  listWebhooks,
  queueDepth,
  queueDepthByWebhook,
  recoverFailedBatches,
  updateSettings,
  webhookUrlRows,
  webhookUrls,
  webhooksWithDueWork,
} from '@hookline/db';
import { drainWebhook, startEngine, type DrainSummary } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import pkg from '../../../package.json' with { type: 'json' };
import { CliError, describeCliError } from './cli-error.js';
import { tailDeliveries } from './deliveries-tail.js';
import { eventTypesCommand } from './event-types-command.js';
import { drainProgress, type ProgressStyle } from './progress.js';
import { renderTable } from './print-table.js';
import { parseAssignments } from './settings-assignments.js';
import { parseSince } from './since.js';

const env = (() => {
  try {
    return parseEnv(baseEnvSchema, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`cli: ${err.message}\n`);
    process.exit(1);
  }
})();
const knex = connect(env.DATABASE_URL, { poolMax: 4 });

function wholeNumber(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min)
    throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
  return n;
}

/** The webhook's rows (its own and its other URLs'), or a clear error for a bad or unknown id. */
async function webhookRows(id: string): Promise<string[]> {
  if (!isUuid(id))
    throw new CliError(`not a webhook id: ${JSON.stringify(id)} (ids are UUIDs; see webhooks list)`);
  const webhook = await getWebhook(knex, id);
  if (!webhook || webhook.primaryId !== null) throw new CliError(`no webhook ${id}`);
  return (await webhookUrlRows(knex, id)).map((r) => r.id);
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
 * Drains webhook rows now, in this process, under the same lease as workers, with a progress bar
 * or lines; exit 2 (CliError) when work is left behind.
 */
async function drainWithProgress(
  ids: readonly string[],
  progressOption: 'auto' | ProgressStyle,
  options: { cut: boolean; busyIsUnfinished: boolean },
): Promise<void> {
  const style = progressOption === 'auto' ? (process.stdout.isTTY ? 'bar' : 'lines') : progressOption;
  const engine = await startEngine({
    knex,
    logger: createLogger({ service: 'cli', level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL }),
    ...deliveryOptionsFromEnv(env, pkg.version),
  });
  try {
    const unfinished: string[] = [];
    for (const id of ids) {
      const progress = drainProgress(style, id, await queueDepth(knex, id), process.stdout);
      const summary = await drainWebhook(engine, id, { onBatch: progress.onBatch, cut: options.cut });
      progress.done(summary);
      const why = unfinishedReason(summary, options.busyIsUnfinished);
      if (why) unfinished.push(`${id} ${why}`);
    }
    if (unfinished.length > 0) throw new CliError(`not delivered: ${unfinished.join('; ')}`, 2);
  } finally {
    engine.stop();
  }
}

const program = new Command('hookline').description('Hookline operations').version(pkg.version);

program
  .command('process')
  .description('drain the queue now (like mautic:webhooks:process), showing progress')
  .option('--webhook <id>', 'only this webhook')
  .addOption(
    new Option('--progress <style>', 'bar, lines (one per batch), or auto: a bar on a terminal')
      .choices(['auto', 'bar', 'lines'])
      .default('auto'),
  )
  .action(async (options: { webhook?: string; progress: 'auto' | ProgressStyle }) => {
    const ids = options.webhook ? await webhookRows(options.webhook) : await webhooksWithDueWork(knex);
    if (ids.length === 0) return console.log('nothing to deliver');
    await drainWithProgress(ids, options.progress, {
      cut: true,
      busyIsUnfinished: options.webhook !== undefined,
    });
  });

program
  .command('deliveries')
  .description('delivery log')
  .command('tail')
  .description("print a webhook's latest deliveries, then each new one as it is logged (Ctrl-C stops)")
  .requiredOption('--webhook <id>', 'the webhook')
  .option('-n, --lines <n>', 'earlier deliveries to print first', (v) => wholeNumber(v, '--lines', 0), 10)
  .option('--no-follow', 'print the latest deliveries and exit')
  .option('--interval <ms>', 'poll interval while following', (v) => wholeNumber(v, '--interval', 50), 1000)
  .action(async (options: { webhook: string; lines: number; follow: boolean; interval: number }) => {
    const [id] = await webhookRows(options.webhook);
    const webhook = (await getWebhook(knex, id!))!;
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    process.once('SIGTERM', () => stop.abort());
    await tailDeliveries(knex, webhook.id, {
      lines: options.lines,
      follow: options.follow,
      intervalMs: options.interval,
      signal: stop.signal,
      print: (line) => console.log(line),
      notice: (message) => console.error(message),
    });
  });

const settings = program.command('settings').description('read or change run-time settings');
settings
  .command('get')
  .description('print the settings as JSON')
  .action(async () => console.log(JSON.stringify(await getSettings(knex), null, 2)));
settings
  .command('set')
  .description('change settings, e.g. settings set queueMode=queue batchLimit=50')
  .argument('<assignments...>', 'key=value pairs')
  .action(async (words: string[]) =>
    console.log(JSON.stringify(await updateSettings(knex, parseAssignments(words)), null, 2)),
  );

program
  .command('keys')
  .description('API keys')
  .command('create')
  .description('create an API key; it is shown once, only its hash is stored')
  .addOption(
    new Option('--role <role>', 'admin, producer or viewer')
      .choices(['admin', 'producer', 'viewer'])
      .makeOptionMandatory(),
  )
  .requiredOption('--name <name>', 'who or what uses the key')
  .action(async (options: { role: 'admin' | 'producer' | 'viewer'; name: string }) => {
    const key = await createApiKey(knex, options.name, options.role);
    console.log(JSON.stringify({ id: key.id, name: key.name, role: key.role, key: key.key }, null, 2));
  });

const webhooksCommand = program.command('webhooks').description('webhooks');

webhooksCommand
  .command('recover')
  .description("resend a webhook's failed deliveries made since a time, oldest first, showing progress")
  .argument('<id>', 'the webhook')
  .requiredOption('--since <when>', 'a duration back from now (30m, 2h, 7d) or an ISO 8601 time', (v) =>
    parseSince(v),
  )
  .addOption(
    new Option('--progress <style>', 'bar, lines (one per batch), or auto: a bar on a terminal')
      .choices(['auto', 'bar', 'lines'])
      .default('auto'),
  )
  .action(async (id: string, options: { since: Date; progress: 'auto' | ProgressStyle }) => {
    const rows = await webhookRows(id);
    const batches = await recoverFailedBatches(knex, rows, options.since);
    console.log(`webhook ${id}: ${batches} failed deliveries since ${options.since.toISOString()} to resend`);
    if (batches === 0) return;
    // Pending batches only, what was recovered (queued events wait for their tick); a worker
    // already sending them (busy) is recovery going on, not a failure.
    await drainWithProgress(rows, options.progress, { cut: false, busyIsUnfinished: false });
  });

webhooksCommand
  .command('list')
  .description('list webhooks with their queue depth')
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const webhooks = await listWebhooks(knex);
    const urls = await webhookUrls(
      knex,
      webhooks.map((w) => w.id),
    );
    const depths = await queueDepthByWebhook(knex, { mergeUrls: true });
    const rows = webhooks.map((w) => ({
      id: w.id,
      name: w.name,
      enabled: w.enabled,
      urls: urls.get(w.id) ?? [w.url],
      events: w.events,
      queued: depths.get(w.id) ?? 0,
    }));
    if (options.json) return console.log(JSON.stringify(rows, null, 2));
    if (rows.length === 0) return console.log('no webhooks');
    console.log(
      renderTable(
        ['id', 'name', 'enabled', 'urls', 'events', 'queued'],
        rows.map((r) => [r.id, r.name, r.enabled, r.urls.join('\n'), r.events.join(', '), r.queued]),
      ),
    );
  });

eventTypesCommand(program, knex);

try {
  await program.parseAsync();
} catch (err) {
  console.error(`error: ${describeCliError(err, env.DATABASE_URL)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
} finally {
  await knex.destroy();
}
