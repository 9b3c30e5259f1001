import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { connect, ensureDatabase, migrateLatest } from '@hookline/db';
import { clearPrefix } from '@hookline/testing';

export const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchEnv {
  databaseUrl: string;
  prefix: string;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh, migrated database and BullMQ prefix for one workload; dropped afterwards. */
export async function benchEnvironment(extra: Record<string, string> = {}): Promise<BenchEnv> {
  const id = randomBytes(4).toString('hex');
  const url = new URL(ADMIN_URL);
  url.pathname = `/hookline_bench_${id}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  const knex = connect(databaseUrl, { poolMax: 1 });
  await migrateLatest(knex);
  await knex.destroy();
  const prefix = `hl-bench-${id}`;
  return {
    databaseUrl,
    prefix,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      HOOKLINE_ADMIN_KEY: ADMIN_KEY,
      HOOKLINE_QUEUE_PREFIX: prefix,
      HOOKLINE_RATE_LIMIT: '0',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_CRON: '*/1 * * * * *',
      LOG_LEVEL: 'warn',
      ...extra,
    },
    async dispose() {
      await clearPrefix(prefix);
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS hookline_bench_${id} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Resident set size of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): number } {
  let peak = 0;
  const take = () => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {
      // process gone
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
