import type { Knex } from 'knex';
import * as init from './20261122000001_init.js';
import * as features from './20261122000002_features.js';
import * as batchesOwnEvents from './20261122000003_batches_own_events.js';
import * as deliveryUnderTrouble from './20261123000004_delivery_under_trouble.js';
import * as beyondMautic from './20261201000005_beyond_mautic.js';
import * as webhookUrls from './20261201000006_webhook_urls.js';
import * as deliveryStats from './20261201000007_delivery_stats.js';
import * as cheapQueueRows from './20261202000008_cheap_queue_rows.js';
import * as workNotWebhooks from './20261204000009_work_not_webhooks.js';
import * as endpoints from './20261205000010_endpoints.js';
import * as tenants from './20261206000011_tenants.js';
import * as targetsVersion from './20261207000012_targets_version.js';
import * as portal from './20261208000013_portal.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in order. Listed statically so tsx, jest and the knex CLI load them alike. */
export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261122000001_init', init],
  ['20261122000002_features', features],
  ['20261122000003_batches_own_events', batchesOwnEvents],
  ['20261123000004_delivery_under_trouble', deliveryUnderTrouble],
  ['20261201000005_beyond_mautic', beyondMautic],
  ['20261201000006_webhook_urls', webhookUrls],
  ['20261201000007_delivery_stats', deliveryStats],
  ['20261202000008_cheap_queue_rows', cheapQueueRows],
  ['20261204000009_work_not_webhooks', workNotWebhooks],
  ['20261205000010_endpoints', endpoints],
  ['20261206000011_tenants', tenants],
  ['20261207000012_targets_version', targetsVersion],
  ['20261208000013_portal', portal],
];
