import {
  apiClient,
  clearPrefix,
  createTestDatabase,
  testPrefix,
  type ApiCall,
  type TestDatabase,
} from '@hookline/testing';
import { freePort, startPrivateRedis, type PrivateRedis } from './private-services.js';
import { startIngest, type HooklineProcess } from './processes.js';

export const ADMIN_KEY = 'faults-admin-key-0123456789abcdef';
export const TYPES = ['form.submitted', 'contact.updated', 'email.opened', 'page.hit', 'sms.sent'];

export interface Scenario {
  db: TestDatabase;
  redis: PrivateRedis;
  prefix: string;
  env: Record<string, string>;
  base: string;
  ingest: HooklineProcess;
  api: ApiCall;
  stop(): Promise<void>;
}

/** A test database, a private Redis, and a real ingest process on them. */
export async function startScenario(
  extraEnv: Record<string, string> = {},
  db?: TestDatabase,
): Promise<Scenario> {
  const database = db ?? (await createTestDatabase());
  const redis = await startPrivateRedis();
  const prefix = testPrefix();
  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    HOOKLINE_ADMIN_KEY: ADMIN_KEY,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_CRON: '*/1 * * * * *',
    HOOKLINE_QUEUE_PREFIX: prefix,
    HOOKLINE_RATE_LIMIT: '0',
    ...extraEnv,
  };
  const ingest = await startIngest(env, port);
  const base = `http://127.0.0.1:${port}`;
  return {
    db: database,
    redis,
    prefix,
    env,
    base,
    ingest,
    api: apiClient(base, ADMIN_KEY),
    async stop() {
      if (ingest.proc.exitCode === null) ingest.kill('SIGKILL');
      await clearPrefix(prefix).catch(() => undefined);
      await redis.stop();
      await database.destroy();
    },
  };
}

/** Posts `count` events spread over TYPES, `seq` increasing from `from`, in chunks of 500. */
export async function postSequencedEvents(s: Scenario, count: number, from = 0): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const events = [];
    for (let seq = start; seq < Math.min(from + count, start + 500); seq++) {
      events.push({ type: TYPES[seq % TYPES.length], payload: { seq } });
    }
    const res = await s.api('POST', '/v1/events', { events });
    if (res.status !== 202)
      throw new Error(`ingest answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  }
}
