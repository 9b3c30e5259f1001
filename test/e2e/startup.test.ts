import pg from 'pg';
import {
  adminDatabaseUrl,
  apiClient,
  createTestDatabase,
  freePort,
  waitUntil,
  type TestDatabase,
} from '@hookline/testing';
import { startApp } from '../faults/support/processes.js';

const ADMIN_KEY = 'startup-admin-key-0123456789';

/** Runs an app to its exit and returns what it printed on stderr. */
async function runToExit(app: 'ingest' | 'worker', env: Record<string, string>) {
  const p = startApp(app, { HOOKLINE_ADMIN_KEY: ADMIN_KEY, PORT: '0', HOST: '127.0.0.1', ...env });
  let stderr = '';
  p.proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await p.exited;
  return { code, stderr, output: p.output() };
}

/** One line naming the problem, no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

/** Each test starts a TypeScript process: a hang guard for a busy machine, not a speed claim. */
const SPAWNING = 90_000;

function urlOf(database: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

describe('start-up: configuration errors are one line and exit 1; an unreachable Postgres is waited for', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it(
    'a short HOOKLINE_ADMIN_KEY',
    async () => {
      const run = await runToExit('ingest', { DATABASE_URL: db.url, HOOKLINE_ADMIN_KEY: 'short' });
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, /^ingest: invalid environment: HOOKLINE_ADMIN_KEY: .*16/);
    },
    SPAWNING,
  );

  it(
    'a DATABASE_URL that is not a Postgres URL',
    async () => {
      const run = await runToExit('ingest', { DATABASE_URL: 'mysql://root@127.0.0.1/hookline' });
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, /^ingest: invalid environment: DATABASE_URL: must start with postgres:\/\//);
    },
    SPAWNING,
  );

  it.each([
    ['*/5 * * *', /WEBHOOK_CRON: "\*\/5 \* \* \*" has 4 fields; use 5 .* or 6/],
    ['61 * * * *', /WEBHOOK_CRON: "61 \* \* \* \*" constraint error/],
    ['every minute', /WEBHOOK_CRON: "every minute" has 2 fields/],
  ])(
    'WEBHOOK_CRON %j is refused with the reason',
    async (cron, reason) => {
      const run = await runToExit('worker', { DATABASE_URL: db.url, WEBHOOK_CRON: cron });
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, new RegExp(`^worker: invalid environment: ${reason.source}`));
    },
    SPAWNING,
  );

  it(
    'a database that does not exist names the command that creates it',
    async () => {
      const run = await runToExit('ingest', { DATABASE_URL: urlOf('hookline_no_such_database') });
      expect(run.code).toBe(1);
      expectOneLine(
        run.stderr,
        /^ingest: database "hookline_no_such_database" does not exist; run "npm run migrate"/,
      );
    },
    SPAWNING,
  );

  it(
    'a database that is not migrated names the command that migrates it',
    async () => {
      const name = `hookline_unmigrated_${process.pid}`;
      const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const run = await runToExit('worker', { DATABASE_URL: urlOf(name) });
        expect(run.code).toBe(1);
        expectOneLine(
          run.stderr,
          new RegExp(`^worker: database "${name}" is not migrated \\(\\d+ pending, .*run "npm run migrate"`),
        );
      } finally {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
    SPAWNING,
  );

  it(
    'with Postgres unreachable, ingest listens, answers 503 with Retry-After, logs each retry, and stops on SIGTERM',
    async () => {
      const port = await freePort();
      const deadPort = await freePort();
      const p = startApp('ingest', {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${deadPort}/hookline`,
        HOOKLINE_ADMIN_KEY: ADMIN_KEY,
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      try {
        await waitUntil(() => p.output().split('"waiting for Postgres"').length > 2, 60_000, 50);
        const base = `http://127.0.0.1:${port}`;
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
        const ready = await fetch(`${base}/readyz`);
        expect(ready.status).toBe(503);
        expect(((await ready.json()) as { postgres: string }).postgres).toMatch(/ECONNREFUSED/);
        const post = await apiClient(base, ADMIN_KEY)<{ error: { code: string } }>('POST', '/v1/events', {
          type: 'form.submitted',
          payload: {},
        });
        expect(post.status).toBe(503);
        expect(post.headers.get('retry-after')).toBe('5');
        expect(post.body.error.code).toBe('storage_unavailable');
        const retries = p
          .output()
          .split('\n')
          .filter((l) => l.includes('"waiting for Postgres"'))
          .map((l) => JSON.parse(l) as { attempt: number; retryInMs: number; level: string });
        expect(retries[0]).toMatchObject({ attempt: 1, retryInMs: 500, level: 'warn' });
        expect(retries[1]).toMatchObject({ attempt: 2, retryInMs: 1000 });
        p.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      } finally {
        if (p.proc.exitCode === null) p.kill('SIGKILL');
      }
    },
    SPAWNING,
  );
});
