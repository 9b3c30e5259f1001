import {
  connect,
  countDisabledWebhooks,
  queueDepthByWebhook,
  snapshotQueue,
  endpointsWithDueRetries,
  endpointsWithDueWork,
} from '@hookline/db';
import { api, sampleRss, type BenchEnv } from '../support/environment.js';
import { freePort, startIngest } from '../support/processes.js';
import { median, QUICK, round, RUNS } from '../support/stats.js';
import { drainOnce } from './drain.js';
import { load } from './ingest.js';

const WITH_WORK = 1000;
const EVENTS = 100_000;
const REGISTERED = QUICK ? 200_000 : 1_000_000;

/** Webhooks with no work, written with SQL (subscribed to a type nobody posts). */
async function registerIdle(env: BenchEnv, count: number): Promise<void> {
  const knex = connect(env.databaseUrl, { poolMax: 1 });
  try {
    await knex.raw(
      `WITH idle AS (
         INSERT INTO webhooks (name, events, secret)
         SELECT 'idle ' || g, '{contact.deleted}', 'bench-secret-0123456789'
         FROM generate_series(1, ?::int) g
         RETURNING id)
       INSERT INTO endpoints (webhook_id, position, url) SELECT id, 0, 'http://127.0.0.1:9/idle' FROM idle`,
      [count],
    );
    await knex.raw('VACUUM (ANALYZE) webhooks');
    await knex.raw('VACUUM (ANALYZE) endpoints');
    await knex.raw('CHECKPOINT');
  } finally {
    await knex.destroy();
  }
}

/** Median of five timings of `f`, in ms. */
async function timed(f: (i: number) => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await f(i);
    ms.push(performance.now() - t);
  }
  return round(median(ms), 1);
}

interface ClockCosts {
  tickMs: number;
  sweepMs: number;
  gaugesMs: number;
  snapshotMs: number;
  snapshotRows: number;
}

/**
 * What the worker's clock costs with the backlog queued: the tick's query, the recovery sweep's,
 * the /metrics gauges' and the per-minute queue snapshot (written into minutes of the year 2000,
 * then deleted, so the drain's own stats are untouched).
 */
async function clockCosts(env: BenchEnv): Promise<ClockCosts> {
  const knex = connect(env.databaseUrl, { poolMax: 1 });
  const minute = (i: number) => new Date(Date.UTC(2000, 0, 1) + i * 60_000);
  try {
    const costs = {
      tickMs: await timed(() => endpointsWithDueWork(knex)),
      sweepMs: await timed(() => endpointsWithDueRetries(knex)),
      gaugesMs: await timed(async () => {
        await queueDepthByWebhook(knex);
        await countDisabledWebhooks(knex);
      }),
      snapshotMs: await timed((i) => snapshotQueue(knex, minute(i))),
    };
    const rows = await knex('delivery_stats')
      .where({ minute: minute(0) })
      .count<{ n: string }[]>({ n: '*' });
    await knex('delivery_stats').where('minute', '<', minute(60)).delete();
    await knex('queue_snapshots').where('minute', '<', minute(60)).delete();
    return { ...costs, snapshotRows: Number(rows[0]!.n) };
  } finally {
    await knex.destroy();
  }
}

/** Single-event ingest of a type three webhooks take, after a warm-up; median of RUNS, and peak RSS. */
async function ingestOn(env: BenchEnv): Promise<{ rps: number; peakRssMb: number }> {
  const port = await freePort();
  const ingest = await startIngest(env.env, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 3; i++) {
      await api(base, 'POST', '/v1/webhooks', {
        name: `p${i}`,
        url: 'http://127.0.0.1:9/hook',
        events: ['page.hit'],
      });
    }
    const body = JSON.stringify({ type: 'page.hit', payload: { page: { url: 'https://example.com/' } } });
    const rss = sampleRss(ingest.proc.pid!);
    await load(`${base}/v1/events`, body, 50, 2);
    const rates: number[] = [];
    for (let i = 0; i < RUNS; i++) rates.push((await load(`${base}/v1/events`, body)).rps);
    return { rps: median(rates), peakRssMb: rss.stop() };
  } finally {
    await ingest.stop();
  }
}

interface ScaleRun extends ClockCosts {
  drainEventsPerSecond: number;
  ingestEventsPerSecond: number;
  workerPeakRssMb: number;
  ingestPeakRssMb: number;
  duplicates: number;
  outOfOrder: number;
}

async function scaleRun(registered: number): Promise<ScaleRun> {
  let costs: ClockCosts | undefined;
  let ingest = { rps: 0, peakRssMb: 0 };
  const drain = await drainOnce({
    events: EVENTS,
    webhooks: WITH_WORK,
    workers: 1,
    batchLimit: 10,
    beforeStart: async (env) => {
      await registerIdle(env, registered - WITH_WORK);
      costs = await clockCosts(env);
    },
    after: async (env) => void (ingest = await ingestOn(env)),
  });
  return {
    ...costs!,
    drainEventsPerSecond: drain.eventsPerSecond,
    ingestEventsPerSecond: round(ingest.rps, 0),
    workerPeakRssMb: drain.workerPeakRssMb,
    ingestPeakRssMb: round(ingest.peakRssMb, 0),
    duplicates: drain.duplicates,
    outOfOrder: drain.outOfOrder,
  };
}

/**
 * A million endpoints (issue 20): 1,000 webhooks with 100,000 queued events between them, alone
 * and beside 999,000 idle webhooks (written with SQL). The clock's statements, the drain and
 * single-event ingest should cost the same in both: in proportion to the webhooks with work.
 */
export async function benchMillionWebhooks() {
  const small = await scaleRun(WITH_WORK);
  const big = await scaleRun(REGISTERED);
  const pair = <K extends keyof ScaleRun>(k: K) => ({ small: small[k], big: big[k] });
  return {
    registered: { small: WITH_WORK, big: REGISTERED },
    withWork: WITH_WORK,
    events: EVENTS,
    drainRatio: round(big.drainEventsPerSecond / small.drainEventsPerSecond),
    ingestRatio: round(big.ingestEventsPerSecond / small.ingestEventsPerSecond),
    drainEventsPerSecond: pair('drainEventsPerSecond'),
    ingestEventsPerSecond: pair('ingestEventsPerSecond'),
    tickMs: pair('tickMs'),
    sweepMs: pair('sweepMs'),
    gaugesMs: pair('gaugesMs'),
    snapshotMs: pair('snapshotMs'),
    snapshotRowsPerMinute: pair('snapshotRows'),
    workerPeakRssMb: pair('workerPeakRssMb'),
    ingestPeakRssMb: pair('ingestPeakRssMb'),
    duplicates: small.duplicates + big.duplicates,
    outOfOrder: small.outOfOrder + big.outOfOrder,
  };
}
