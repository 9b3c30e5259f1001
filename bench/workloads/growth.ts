import { connect } from '@hookline/db';
import { benchEnvironment, type BenchEnv } from '../support/environment.js';
import { startCountingServer } from '../support/counting-server.js';
import { freePort, startIngest } from '../support/processes.js';
import { median, QUICK, round, RUNS } from '../support/stats.js';
import { drainOnce, fill } from './drain.js';
import { loadSingle } from './ingest.js';

const WEBHOOKS = 10;
const MEASURED = 100_000;

/** Single-event ingest (workload 1's load, after a 2 s warm-up, median of RUNS) on `env`'s database. */
async function ingestRate(env: BenchEnv): Promise<number> {
  const port = await freePort();
  const ingest = await startIngest(env.env, port);
  const url = `http://127.0.0.1:${port}/v1/events`;
  try {
    await loadSingle(url, 2);
    const rates: number[] = [];
    for (let i = 0; i < RUNS; i++) rates.push((await loadSingle(url)).rps);
    return median(rates);
  } finally {
    await ingest.stop();
  }
}

/** Postgres's buffer-cache counters of `env`'s database: pages found in shared buffers, and read in. */
async function cacheCounters(env: BenchEnv): Promise<{ hit: number; read: number }> {
  const knex = connect(env.databaseUrl, { poolMax: 1 });
  try {
    const res = await knex.raw<{ rows: { hit: string; read: string }[] }>(
      'SELECT blks_hit AS hit, blks_read AS read FROM pg_stat_database WHERE datname = current_database()',
    );
    return { hit: Number(res.rows[0]!.hit), read: Number(res.rows[0]!.read) };
  } finally {
    await knex.destroy();
  }
}

/** Share of the pages the drain asked Postgres for that were not in its shared buffers. */
function missShare(before: { hit: number; read: number }, after: { hit: number; read: number }): number {
  const read = after.read - before.read;
  return round(read / (read + after.hit - before.hit), 3);
}

/** Rows in the events table, to report what the big run held (a count, not the fill's word). */
async function storedEvents(env: BenchEnv): Promise<number> {
  const knex = connect(env.databaseUrl, { poolMax: 1 });
  try {
    const res = await knex.raw<{ rows: { n: string }[] }>('SELECT count(*) AS n FROM events');
    return Number(res.rows[0]!.n);
  } finally {
    await knex.destroy();
  }
}

/**
 * Growth (issue 14): how the cost grows as the stored work grows. The drain rate over the first
 * 100,000 deliveries with a backlog of `big` events queued over 10 webhooks (filled with SQL)
 * against the rate of draining a 100,000-event backlog; then, on the same big database once the
 * worker stopped, single-event ingest against the same on an empty database.
 */
export async function benchGrowth(big = QUICK ? 1_000_000 : 10_000_000) {
  const smallRuns: number[] = [];
  let duplicates = 0;
  let outOfOrder = 0;
  let smallMiss = 0;
  for (let i = 0; i < RUNS; i++) {
    let before = { hit: 0, read: 0 };
    const run = await drainOnce({
      events: MEASURED,
      webhooks: WEBHOOKS,
      workers: 1,
      beforeStart: async (env) => void (before = await cacheCounters(env)),
      after: async (env) => void (smallMiss = missShare(before, await cacheCounters(env))),
    });
    smallRuns.push(run.eventsPerSecond);
    duplicates += run.duplicates;
    outOfOrder += run.outOfOrder;
  }
  const small = median(smallRuns);

  const emptyEnv = await benchEnvironment();
  let emptyIngest: number;
  try {
    const receiver = await startCountingServer();
    await fill(emptyEnv.databaseUrl, receiver, 0, WEBHOOKS, {});
    await receiver.close();
    emptyIngest = await ingestRate(emptyEnv);
  } finally {
    await emptyEnv.dispose();
  }

  let bigIngest = 0;
  let stored = 0;
  let bigMiss = 0;
  let before = { hit: 0, read: 0 };
  const fillStarted = Date.now();
  // The big backlog is filled once and measured in RUNS successive windows of MEASURED events:
  // whether the rate holds as its drain goes on is part of what growth means.
  const large = await drainOnce({
    events: big,
    webhooks: WEBHOOKS,
    workers: 1,
    until: MEASURED * RUNS,
    measure: () => true,
    window: MEASURED,
    beforeStart: async (env) => void (before = await cacheCounters(env)),
    after: async (env) => {
      bigMiss = missShare(before, await cacheCounters(env));
      stored = await storedEvents(env);
      bigIngest = await ingestRate(env);
    },
  });
  return {
    backlog: big,
    smallBacklog: MEASURED,
    drainEventsPerSecond: median(large.windowRates),
    smallDrainEventsPerSecond: small,
    drainRatio: round(median(large.windowRates) / small),
    storedEvents: stored,
    ingestEventsPerSecond: round(bigIngest, 0),
    emptyIngestEventsPerSecond: round(emptyIngest, 0),
    ingestRatio: round(bigIngest / emptyIngest),
    bigRunSeconds: Math.round((Date.now() - fillStarted) / 1000),
    duplicates: duplicates + large.duplicates,
    outOfOrder: outOfOrder + large.outOfOrder,
    runs: { small: smallRuns, bigWindows: large.windowRates },
    /** Pages the drain needed that were not in Postgres's shared buffers (read from the OS). */
    bufferMissShare: { small: smallMiss, big: bigMiss },
  };
}
