import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { connect, migrateLatest } from '@hookline/db';

/** The server tests run against; each file gets its own database on it. */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function urlFor(name: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function templateName(runId: string): string {
  return `hookline_test_${runId}_tmpl`;
}

/** Once per run (jest globalSetup): a migrated template that per-file databases are cloned from. */
export async function createTemplateDatabase(runId: string): Promise<void> {
  const name = templateName(runId);
  await adminQuery(`CREATE DATABASE ${name}`);
  const knex = connect(urlFor(name), { poolMax: 1 });
  try {
    await migrateLatest(knex);
  } finally {
    await knex.destroy();
  }
}

/** Drops every database this run made. */
export async function dropRunDatabases(runId: string): Promise<void> {
  const res = await adminQuery(
    `SELECT datname FROM pg_database WHERE datname LIKE 'hookline_test_${runId}_%'`,
  );
  for (const row of res.rows as { datname: string }[]) {
    await adminQuery(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  }
}

export interface TestDatabase {
  url: string;
  knex: Knex;
  destroy(): Promise<void>;
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const runId = process.env.HOOKLINE_TEST_RUN;
  if (!runId)
    throw new Error('HOOKLINE_TEST_RUN is unset: run tests through jest (globalSetup makes the template)');
  const name = `hookline_test_${runId}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${templateName(runId)}`);
  const url = urlFor(name);
  const knex = connect(url);
  return {
    url,
    knex,
    async destroy() {
      await knex.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
