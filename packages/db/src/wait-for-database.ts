import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '@hookline/core';
import pg from 'pg';
import { migrations } from '../../../migrations/index.js';
import { isStorageUnavailable } from './storage-errors.js';

export interface WaitForDatabaseOptions {
  /** Called before each wait while Postgres cannot be reached (one log line per retry). */
  onRetry: (info: { attempt: number; retryInMs: number; reason: string }) => void;
  /** First wait, in ms (Default: 500); doubles up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** Longest wait between attempts, in ms (Default: 10000). */
  maxDelayMs?: number;
  /** Stops waiting (shutdown during start-up): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, '')) || 'postgres';
}

/**
 * Resolves once the database in `databaseUrl` answers and holds every migration this build
 * knows. Postgres being unreachable is waited out, with backoff; what waiting cannot fix (the
 * database missing or not migrated, credentials refused) is a ConfigError naming the fix.
 */
export async function waitForDatabase(databaseUrl: string, options: WaitForDatabaseOptions): Promise<void> {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      await checkDatabase(databaseUrl);
      return;
    } catch (err) {
      if (!isStorageUnavailable(err)) throw explain(err, databaseUrl);
      const retryInMs = Math.min(max, base * 2 ** (attempt - 1));
      options.onRetry({ attempt, retryInMs, reason: reasonOf(err) });
      await sleep(retryInMs, undefined, { signal: options.signal });
    }
  }
}

async function checkDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  // A connection that fails after connecting emits 'error'; without a listener it would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    let applied: Set<string>;
    try {
      const res = await client.query<{ name: string }>('SELECT name FROM knex_migrations');
      applied = new Set(res.rows.map((r) => r.name));
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') applied = new Set();
      else throw err;
    }
    const pending = migrations.map(([name]) => name).filter((name) => !applied.has(name));
    if (pending.length > 0) {
      throw new ConfigError(
        `database "${databaseName(databaseUrl)}" is not migrated (${pending.length} pending, first ${pending[0]}); run "npm run migrate"`,
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const message = err.message || (err as { errors?: Error[] }).errors?.[0]?.message || err.name;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** What start-up says when the database answers but cannot be used as configured. */
function explain(err: unknown, databaseUrl: string): Error {
  if (err instanceof ConfigError) return err;
  const code = (err as { code?: unknown }).code;
  const name = databaseName(databaseUrl);
  if (code === '3D000')
    return new ConfigError(
      `database "${name}" does not exist; run "npm run migrate" (or "npm run setup") to create it`,
    );
  if (code === '28P01' || code === '28000')
    return new ConfigError(`DATABASE_URL: Postgres refused the credentials (${reasonOf(err)})`);
  return new ConfigError(`DATABASE_URL: ${reasonOf(err)}`);
}
