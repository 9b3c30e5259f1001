import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Express } from 'express';
import { adminRoutes, portalRoutes } from '@hookline/admin';
import { createApp, createImmediateDispatcher } from '@hookline/api';
import type { JsonLimits, RetryPolicy, SettingsPatch } from '@hookline/core';
import { updateSettings } from '@hookline/db';
import { createGroupCommit, createMetrics, startEngine, type EngineDeps } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import {
  createDrainQueue,
  createAppRateLimiter,
  createFairQueue,
  createRedis,
  drainStarter,
  startDrainWorker,
  type DrainWorker,
  type DrainWorkerOptions,
} from '@hookline/queue';
import { apiClient, type ApiCall } from './api-client.js';
import { clearPrefix, redisUrl, testPrefix } from './redis-prefix.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';

export interface HarnessOptions {
  settings?: SettingsPatch;
  retryPolicy?: RetryPolicy;
  /** `${system['fqdn']}` in templates (Default: the host name). */
  fqdn?: string;
  /** HOOKLINE_MAX_DEPTH/_KEYS (Default: 64 levels, 10,000 keys). */
  payloadLimits?: JsonLimits;
  /** HOOKLINE_PORTAL_FRAME_ANCESTORS (Default: 'self'). */
  portalFrameAncestors?: string;
}

export interface Harness {
  baseUrl: string;
  /** The Express app under test (its route stack, for tests that compare it with the document). */
  app: Express;
  db: TestDatabase;
  engine: EngineDeps;
  prefix: string;
  /** Starts a drain worker in this process (Default cron: every second). */
  startWorker(cron?: string, options?: Partial<DrainWorkerOptions>): Promise<DrainWorker>;
  /** Log lines written so far (JSON), for tests that read what was logged. */
  logs: string[];
  /** Calls the API, with the admin key unless `options.key` says otherwise. */
  api: ApiCall;
  stop(): Promise<void>;
}

/**
 * A whole Hookline in this process on real services: its own database (cloned from the run's
 * template), its own BullMQ prefix, the ingest app on an ephemeral port, optionally a worker.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase();
  if (options.settings) await updateSettings(db.knex, options.settings);
  const prefix = testPrefix();
  const logs: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ service: 'test', level: 'debug', stream });

  const engine = await startEngine({
    knex: db.knex,
    metrics: createMetrics({ knex: db.knex }),
    logger,
    allowPrivateUrls: true,
    publicUrl: 'http://hookline.test',
    userAgent: 'Hookline/test',
    retryPolicy: options.retryPolicy ?? { baseDelayMs: 200, maxDelayMs: 1000, maxAttempts: 5 },
    settingsRefreshMs: 200,
    fqdn: options.fqdn,
    payloadLimits: options.payloadLimits,
  });
  const redis = createRedis(redisUrl());
  const immediate = createImmediateDispatcher(engine);
  const drainQueue = createDrainQueue({ connection: redis, prefix });
  const app = createApp(
    {
      knex: db.knex,
      engine,
      redis,
      immediate,
      events: createGroupCommit(engine),
      adminKey: TEST_ADMIN_KEY,
      allowPrivateUrls: true,
      drains: drainStarter(createFairQueue(redis, { prefix }), (err) =>
        logger.warn('could not start a drain', { err }),
      ),
      rateLimiter: createAppRateLimiter(redis, {
        prefix,
        onUnavailable: (err) => logger.warn('rate limit not counted', { err }),
      }),
    },
    {
      '/admin': (authenticate) => adminRoutes({ authenticate, queues: [drainQueue] }),
      '/portal': () => portalRoutes({ frameAncestors: options.portalFrameAncestors ?? "'self'" }),
    },
  );
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const workers: DrainWorker[] = [];

  return {
    baseUrl,
    app,
    db,
    engine,
    prefix,
    logs,
    async startWorker(cron = '*/1 * * * * *', options = {}) {
      const worker = await startDrainWorker(engine, {
        connection: redis,
        prefix,
        cron,
        schedulerRefreshMs: 1000,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    api: apiClient(baseUrl, TEST_ADMIN_KEY),
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      server.closeAllConnections();
      server.close();
      await immediate.idle();
      engine.stop();
      await drainQueue.close();
      redis.disconnect();
      await clearPrefix(prefix);
      await db.destroy();
    },
  };
}
