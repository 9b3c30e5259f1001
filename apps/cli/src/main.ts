// `npm run cli -- <command>`: the ops CLI. Talks to Postgres directly (like Mautic's console), so
// it works while the API is down; `process` drains under the same per-webhook lease as workers.
import { Command, Option } from 'commander';
import { baseEnvSchema, deliveryOptionsFromEnv, parseEnv } from '@hookline/core';
import {
  connect,
  createApiKey,
  getSettings,
  listWebhooks,
  queueDepth,
  updateSettings,
  webhooksWithDueWork,
} from '@hookline/db';
import { drainWebhook, startEngine } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import pkg from '../../../package.json' with { type: 'json' };
import { parseAssignments } from './settings-assignments.js';

const env = parseEnv(baseEnvSchema, process.env);
const knex = connect(env.DATABASE_URL, { poolMax: 4 });

const program = new Command('hookline').description('Hookline operations').version(pkg.version);

program
  .command('process')
  .description('drain the queue now (like mautic:webhooks:process), printing progress per batch')
  .option('--webhook <id>', 'only this webhook')
  .action(async (options: { webhook?: string }) => {
    const engine = await startEngine({
      knex,
      logger: createLogger({ service: 'cli', level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL }),
      ...deliveryOptionsFromEnv(env, pkg.version),
    });
    try {
      const ids = options.webhook ? [options.webhook] : await webhooksWithDueWork(knex);
      if (ids.length === 0) console.log('nothing to deliver');
      for (const id of ids) {
        const total = await queueDepth(knex, id);
        console.log(`webhook ${id}: ${total} queued`);
        const summary = await drainWebhook(engine, id, {
          onBatch: (s) =>
            console.log(`  batch ${s.batches}: ${s.delivered} delivered, ${s.failed} failed of ${total}`),
        });
        console.log(
          `webhook ${id}: ${summary.result} (${summary.delivered} delivered, ${summary.failed} failed)`,
        );
      }
    } finally {
      engine.stop();
    }
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

program
  .command('webhooks')
  .description('webhooks')
  .command('list')
  .description('list webhooks with their queue depth')
  .action(async () => {
    const rows = await Promise.all(
      (await listWebhooks(knex)).map(async (w) => ({
        id: w.id,
        name: w.name,
        enabled: w.enabled,
        url: w.url,
        events: w.events.join(','),
        queued: await queueDepth(knex, w.id),
      })),
    );
    console.table(rows);
  });

try {
  await program.parseAsync();
} catch (err) {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await knex.destroy();
}
