// `npm run cli -- <command>`: the ops CLI. Talks to Postgres directly (like Mautic's console), so
// it works while the API is down; `process` drains under the same per-webhook lease as workers.
import { Command, InvalidArgumentError, Option } from 'commander';
import pkg from '../../../package.json' with { type: 'json' };
import { CliError, describeCliError } from './cli-error.js';
import { eventTypesCommand } from './event-types-command.js';
import { tenantsCommands } from './tenants-command.js';
import type { ProgressStyle } from './progress.js';
import { parseSince } from './since.js';

/** Everything a command needs to run, loaded on first use: `--help` stays fast (see runtime.ts). */
let loaded: Promise<typeof import('./runtime.js')> | undefined;
const runtime = () => (loaded ??= import('./runtime.js'));

/** Core's DEFAULT_APP, written out: main.ts imports nothing heavy, so --help stays fast. */
const DEFAULT_APP = 'default';

/** `--app` of the commands on webhooks: the application whose webhooks they name. */
const appOption = () =>
  new Option('--app <id>', 'the application the webhook belongs to').default(DEFAULT_APP);

/** `--progress` of the commands that deliver now (process, webhooks recover). */
const progressOption = () =>
  new Option('--progress <style>', 'bar, lines (one per batch), or auto: a bar on a terminal')
    .choices(['auto', 'bar', 'lines'])
    .default('auto');

function wholeNumber(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min)
    throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
  return n;
}

const program = new Command('hookline').description('Hookline operations').version(pkg.version);

program
  .command('process')
  .description('drain the queue now (like mautic:webhooks:process), showing progress')
  .option('--webhook <id>', 'only this webhook (of --app)')
  .option(
    '--app <id>',
    "only this application's webhooks (Default: every application's; default's with --webhook)",
  )
  .addOption(progressOption())
  .action(async (options: { webhook?: string; app?: string; progress: 'auto' | ProgressStyle }) => {
    const { endpointsToDrain, webhookEndpoints, drainWithProgress } = await runtime();
    const ids = options.webhook
      ? await webhookEndpoints(options.app ?? DEFAULT_APP, options.webhook)
      : await endpointsToDrain(options.app);
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
  .addOption(appOption())
  .option('-n, --lines <n>', 'earlier deliveries to print first', (v) => wholeNumber(v, '--lines', 0), 10)
  .option('--no-follow', 'print the latest deliveries and exit')
  .option('--interval <ms>', 'poll interval while following', (v) => wholeNumber(v, '--interval', 50), 1000)
  .action(
    async (options: { webhook: string; app: string; lines: number; follow: boolean; interval: number }) => {
      const { knex, webhookEndpoints, tailDeliveries } = await runtime();
      await webhookEndpoints(options.app, options.webhook); // checks the id
      const id = options.webhook;
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await tailDeliveries(knex, id, {
        lines: options.lines,
        follow: options.follow,
        intervalMs: options.interval,
        signal: stop.signal,
        print: (line) => console.log(line),
        notice: (message) => console.error(message),
      });
    },
  );

const settings = program.command('settings').description('read or change run-time settings');
settings
  .command('get')
  .description('print the settings as JSON')
  .action(async () => {
    const { db, knex } = await runtime();
    console.log(JSON.stringify(await db.getSettings(knex), null, 2));
  });
settings
  .command('set')
  .description('change settings, e.g. settings set queueMode=queue batchLimit=50')
  .argument('<assignments...>', 'key=value pairs')
  .action(async (words: string[]) => {
    const { db, knex, parseAssignments } = await runtime();
    console.log(JSON.stringify(await db.updateSettings(knex, parseAssignments(words)), null, 2));
  });

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
    const { db, knex } = await runtime();
    const key = await db.createApiKey(knex, options.name, options.role);
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
  .addOption(appOption())
  .addOption(progressOption())
  .action(async (id: string, options: { since: Date; app: string; progress: 'auto' | ProgressStyle }) => {
    const { useCases, webhookEndpoints, drainWithProgress } = await runtime();
    await webhookEndpoints(options.app, id); // checks the id
    const { batches, endpointIds: endpoints } = await useCases.recoverWebhook(options.app, id, options.since);
    console.log(`webhook ${id}: ${batches} failed deliveries since ${options.since.toISOString()} to resend`);
    if (batches === 0) return;
    // Pending batches only, what was recovered (queued events wait for their tick); a worker
    // already sending them (busy) is recovery going on, not a failure.
    await drainWithProgress(endpoints, options.progress, { cut: false, busyIsUnfinished: false });
  });

webhooksCommand
  .command('list')
  .description("list an application's webhooks with their queue depth")
  .addOption(appOption())
  .option('--json', 'print JSON')
  .action(async (options: { app: string; json?: boolean }) => {
    const { db, knex, renderTable, useCases } = await runtime();
    const depths = await db.queueDepthByWebhook(knex);
    const rows = (await useCases.listWebhooks(options.app)).map(({ webhook: w, endpoints }) => ({
      id: w.id,
      name: w.name,
      enabled: endpoints[0]!.enabled,
      urls: endpoints.map((e) => e.url),
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

eventTypesCommand(program, runtime);
tenantsCommands(program, runtime);

try {
  await program.parseAsync();
} catch (err) {
  const databaseUrl = loaded ? (await loaded).env.DATABASE_URL : '';
  console.error(`error: ${describeCliError(err, databaseUrl)}`);
  process.exitCode = err instanceof CliError ? err.exitCode : 1;
} finally {
  if (loaded) await (await loaded).knex.destroy();
}
