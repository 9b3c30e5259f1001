import type { SettingsPatch } from '@hookline/core';
import { workerEnvSchema } from '../../apps/worker/src/env.js';
import { connect, createWebhook, updateSettings } from '@hookline/db';
import { webhookRow } from '@hookline/testing';
import { benchEnvironment, REDIS_URL, sampleRss, rssMb, type BenchEnv } from '../support/environment.js';
import { startCountingServer, type Behaviour, type CountingServer } from '../support/counting-server.js';
import { runToEnd, startWorker, type Proc } from '../support/processes.js';
import { median, percentile, QUICK, round, RUNS } from '../support/stats.js';
import { measureCpu, type CpuUse } from '../support/cpu.js';

/**
 * Whose webhooks and events a fill makes: application default's (Default), one named
 * application's, or `apps` applications a0, a1… taking the webhooks round-robin (webhook i is
 * a(i mod apps)'s); then each event carries its application in its payload (`"app"`).
 */
export type FillTenancy = { app: string } | { apps: number };

/** The application of webhook `i` of a fill (its path is `/w<i>`). */
const appOfWebhook = (tenancy: FillTenancy | undefined, i: number): string =>
  !tenancy ? 'default' : 'app' in tenancy ? tenancy.app : `a${i % tenancy.apps}`;

/** Queues `events` events round-robin over `webhooks` webhooks straight in SQL (the fill is not what is measured). */
export async function fill(
  databaseUrl: string,
  receiver: CountingServer,
  events: number,
  webhooks: number,
  settings: SettingsPatch,
  tenancy?: FillTenancy,
) {
  const knex = connect(databaseUrl, { poolMax: 2 });
  try {
    await updateSettings(knex, { queueMode: 'queue', ...settings });
    const apps = !tenancy
      ? []
      : 'app' in tenancy
        ? [tenancy.app]
        : Array.from({ length: tenancy.apps }, (_, a) => `a${a}`);
    if (apps.length > 0) {
      await knex('organizations').insert({ id: 'bench', name: 'bench' }).onConflict('id').ignore();
      await knex('applications')
        .insert(apps.map((id) => ({ id, org_id: 'bench', name: id })))
        .onConflict('id')
        .ignore();
    }
    for (let i = 0; i < webhooks; i++) {
      await createWebhook(
        knex,
        ...webhookRow({
          name: `w${i}`,
          url: `${receiver.url}/w${i}`,
          events: ['form.submitted'],
          secret: 'bench-secret-0123456789',
          appId: appOfWebhook(tenancy, i),
        }),
      );
    }
    // Event g goes to webhook g mod webhooks, and belongs to that webhook's application.
    const appOfEvent = !tenancy
      ? `'default'`
      : 'app' in tenancy
        ? `'${tenancy.app.replace(/[^a-z0-9_-]/g, '')}'`
        : `'a' || ((g % ${webhooks}) % ${tenancy.apps})`;
    const appTag = tenancy ? `',"app":"' || ${appOfEvent} || '"'` : `''`;
    await knex.transaction(async (trx) => {
      // A bulk load: the rows are consistent by construction, so the foreign-key triggers are
      // skipped (they were 60% of the fill's time), and nothing waits for a WAL flush.
      await trx.raw('SET LOCAL session_replication_role = replica');
      await trx.raw('SET LOCAL synchronous_commit = off');
      await trx.raw(
        `INSERT INTO events (id, type, payload, occurred_at, app_id)
         SELECT g + 1, 'form.submitted',
           '{"seq":' || g || ${appTag} || ',"contact":{"email":"c' || g || '@example.com"}}', now(), ${appOfEvent}
         FROM generate_series(0, ?::int - 1) g`,
        [events],
      );
      if (events > 0) await trx.raw(`SELECT setval('events_id_seq', ?::bigint)`, [events]);
      await trx.raw(
        `INSERT INTO endpoint_queue (endpoint_id, event_id)
         SELECT w.endpoint_id, e.id FROM events e
         JOIN (SELECT en.id AS endpoint_id, substring(wh.name FROM 2)::int AS n
               FROM webhooks wh JOIN endpoints en ON en.webhook_id = wh.id) w ON (e.id - 1) % ? = w.n
         ORDER BY e.id`,
        [webhooks],
      );
    });
    // Rows that arrive over time are vacuumed and checkpointed as they go; rows written in one
    // statement are not, and their first readers would pay for it (hint bits, and a checkpoint of
    // gigabytes of WAL running under the measurement: 10M-row drains ran 0.6–1.1× by that alone).
    await knex.raw('VACUUM (ANALYZE)');
    await knex.raw('CHECKPOINT');
  } finally {
    await knex.destroy();
  }
}

export interface DrainResult {
  eventsPerSecond: number;
  seconds: number;
  duplicates: number;
  outOfOrder: number;
  /** Events that reached a webhook of another application than theirs (with `tenancy`). */
  crossed: number;
  workerPeakRssMb: number;
  workerStartRssMb: number;
  cpu: CpuUse;
  /** Per webhook path: p99 of its events' delay from the workers' start, in ms (when `perPath`). */
  p99DelayMsByPath: Map<string, number>;
  /** Events/s of each successive `window` events, in arrival order (when `window`). */
  windowRates: number[];
}

export interface DrainOptions {
  events: number;
  webhooks: number;
  workers: number;
  batchLimit?: number;
  /** How the receiver answers (Default: 200 at once). */
  behaviour?: Behaviour;
  /** WORKER_CONCURRENCY of each worker (Default: the app's default). */
  concurrency?: number;
  /** Settings besides queue mode and batchLimit (timeoutMs, say). */
  settings?: SettingsPatch;
  /**
   * The paths whose events the run waits for and measures (Default: all). A noisy run leaves
   * its failing webhooks' events behind.
   */
  measure?: (path: string) => boolean;
  /** Stop once this many (measured) events arrived (Default: all of them). */
  until?: number;
  /** Also give the rate of each successive `window` events (needs `measure`). */
  window?: number;
  /** Runs after the workers stopped, before the database is dropped (to measure more on it). */
  after?: (env: BenchEnv) => Promise<void>;
  /** Runs once the tables are filled, before the workers start. */
  beforeStart?: (env: BenchEnv) => Promise<void>;
  /** Whose webhooks and events (Default: application default's). */
  tenancy?: FillTenancy;
}

/** Drains queued events with `workers` worker processes; rate from first to last arrival. */
export async function drainOnce(options: DrainOptions): Promise<DrainResult> {
  const { events, webhooks, workers, batchLimit = 100 } = options;
  const env = await benchEnvironment(
    options.concurrency ? { WORKER_CONCURRENCY: String(options.concurrency) } : {},
  );
  const perPath = options.measure !== undefined;
  const tenancy = options.tenancy;
  const receiver = await startCountingServer(options.behaviour, {
    perPath,
    ...(tenancy ? { appOfPath: (path: string) => appOfWebhook(tenancy, Number(path.slice(2))) } : {}),
  });
  const procs: Proc[] = [];
  try {
    await fill(env.databaseUrl, receiver, events, webhooks, { batchLimit, ...options.settings }, tenancy);
    await options.beforeStart?.(env);
    // Every `webhooks`-th event goes to one webhook (fill): the events the run waits for.
    let expected = events;
    if (options.measure) {
      expected = 0;
      for (let w = 0; w < webhooks; w++)
        if (options.measure(`/w${w}`))
          expected += Math.floor(events / webhooks) + (w < events % webhooks ? 1 : 0);
    }
    expected = Math.min(expected, options.until ?? expected);
    const startedAt = performance.now();
    for (let i = 0; i < workers; i++) procs.push(await startWorker(env.env));
    const startRss = rssMb(procs[0]!.proc.pid!);
    const rss = sampleRss(procs[0]!.proc.pid!);
    const deadline = Date.now() + 300_000;
    // CPU is measured from the first delivery (the worker's start and the first tick are not the drain).
    while (!receiver.firstAt) {
      if (Date.now() > deadline) throw new Error('nothing delivered');
      await new Promise((r) => setTimeout(r, 10));
    }
    const cpu = measureCpu({ workers: procs.map((p) => p.proc.pid!) });
    const delivered = () =>
      options.measure
        ? [...receiver.byPath].reduce(
            (n, [path, times]) => n + (options.measure!(path) ? times.length : 0),
            0,
          ) - receiver.duplicates
        : receiver.events - receiver.duplicates;
    while (delivered() < expected) {
      if (Date.now() > deadline) throw new Error(`drain stalled at ${delivered()} of ${expected}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const arrived = options.until ? delivered() : expected;
    const peak = rss.stop();
    const cpuUse = cpu.stop();
    let first = receiver.firstAt;
    let last = receiver.lastAt;
    const p99DelayMsByPath = new Map<string, number>();
    if (options.measure) {
      const measured = [...receiver.byPath].filter(([path]) => options.measure!(path));
      first = Math.min(...measured.map(([, t]) => t[0]!));
      last = Math.max(...measured.map(([, t]) => t.at(-1)!));
      for (const [path, times] of measured)
        p99DelayMsByPath.set(path, round(percentile(times, 99) - startedAt, 0));
    }
    const windowRates: number[] = [];
    if (options.window && options.measure) {
      const times = [...receiver.byPath]
        .filter(([path]) => options.measure!(path))
        .flatMap(([, t]) => t)
        .sort((a, b) => a - b);
      for (let start = 0; start + options.window <= times.length; start += options.window)
        windowRates.push(
          round(options.window / ((times[start + options.window - 1]! - times[start]!) / 1000), 0),
        );
    }
    const seconds = (last - first) / 1000;
    if (options.after) {
      await Promise.all(procs.map((p) => p.stop()));
      await options.after(env);
    }
    return {
      eventsPerSecond: round(arrived / seconds, 0),
      seconds: round(seconds),
      duplicates: receiver.duplicates,
      outOfOrder: receiver.outOfOrder,
      crossed: receiver.crossed,
      workerPeakRssMb: round(peak, 0),
      workerStartRssMb: round(startRss, 0),
      cpu: cpuUse,
      p99DelayMsByPath,
      windowRates,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await receiver.close();
    await env.dispose();
  }
}

/** Workload 2: 100k queued events over 10 webhooks, batchLimit 100, vs the naive job-per-event design. */
export async function benchDrain(runs = RUNS) {
  const ours: DrainResult[] = [];
  const naive: number[] = [];
  const NAIVE_EVENTS = 10_000;
  for (let i = 0; i < runs; i++) {
    ours.push(await drainOnce({ events: 100_000, webhooks: 10, workers: 1 }));
    const receiver = await startCountingServer();
    try {
      const out = await runToEnd('bench/baselines/naive-worker.ts', [
        REDIS_URL,
        `hl-bench-naive-${i}`,
        receiver.url,
        String(NAIVE_EVENTS),
      ]);
      naive.push((JSON.parse(out.trim().split('\n').at(-1)!) as { eventsPerSecond: number }).eventsPerSecond);
    } finally {
      await receiver.close();
    }
  }
  const rate = median(ours.map((r) => r.eventsPerSecond));
  return {
    eventsPerSecond: rate,
    naiveEventsPerSecond: round(median(naive), 0),
    ratio: round(rate / median(naive), 1),
    naiveEventsPerRun: NAIVE_EVENTS,
    duplicates: ours.reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: ours.reduce((n, r) => n + r.outOfOrder, 0),
    runs: { ours: ours.map((r) => r.eventsPerSecond), naive },
  };
}

/**
 * Workload 10 (issue 14): 50,000 queued events to one webhook with an instant receiver: one batch
 * in flight at a time, so the drain's own round trips per batch are what it is made of.
 */
export async function benchSingleWebhook(runs = RUNS) {
  const results: DrainResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await drainOnce({ events: 50_000, webhooks: 1, workers: 1 }));
  return {
    events: 50_000,
    eventsPerSecond: median(results.map((r) => r.eventsPerSecond)),
    duplicates: results.reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: results.reduce((n, r) => n + r.outOfOrder, 0),
    runs: results.map((r) => r.eventsPerSecond),
    cpu: results[0]!.cpu,
  };
}

/** Workload 4: worker RSS while draining a 1,000,000-event backlog. */
export async function benchMemory() {
  const result = await drainOnce({ events: 1_000_000, webhooks: 10, workers: 1 });
  return {
    backlog: 1_000_000,
    workerStartRssMb: result.workerStartRssMb,
    workerPeakRssMb: result.workerPeakRssMb,
    ratio: round(result.workerPeakRssMb / result.workerStartRssMb),
    eventsPerSecond: result.eventsPerSecond,
    duplicates: result.duplicates,
  };
}

/** Workload 5: two workers vs one on workload 2. */
export async function benchScaleOut(runs = RUNS) {
  const one: number[] = [];
  const two: number[] = [];
  let duplicates = 0;
  let outOfOrder = 0;
  for (let i = 0; i < runs; i++) {
    const a = await drainOnce({ events: 100_000, webhooks: 10, workers: 1 });
    const b = await drainOnce({ events: 100_000, webhooks: 10, workers: 2 });
    one.push(a.eventsPerSecond);
    two.push(b.eventsPerSecond);
    duplicates += a.duplicates + b.duplicates;
    outOfOrder += a.outOfOrder + b.outOfOrder;
  }
  return {
    oneWorkerEventsPerSecond: median(one),
    twoWorkersEventsPerSecond: median(two),
    ratio: round(median(two) / median(one)),
    duplicates,
    outOfOrder,
    runs: { one, two },
  };
}

/**
 * A receiver as real ones are: about 50 ms a request (30–70), and 1 request in 100 taking 2 s.
 * Deterministic in the request's number, so runs compare.
 */
const realisticReceiver: Behaviour = (n) => ({
  delayMs: n % 100 === 99 ? 2000 : 30 + ((n * 7919) % 41),
  status: 200,
});

const DEFAULT_CONCURRENCY = workerEnvSchema.shape.WORKER_CONCURRENCY.parse(undefined);

const SLOW = { events: 200_000, webhooks: 500, behaviour: realisticReceiver } as const;

/**
 * Slow receivers (issue 14): 200,000 queued events over 500 webhooks whose receiver answers as
 * realisticReceiver says, batchLimit 100, drained by 1 and then by 2 worker processes
 * (WORKER_CONCURRENCY at its default). The work waits on the network, so a second worker should
 * help; one worker at other concurrencies gives the curve behind docs/PERFORMANCE.md's guidance.
 */
export async function benchSlowReceivers() {
  const one = await drainOnce({ ...SLOW, workers: 1 });
  const two = await drainOnce({ ...SLOW, workers: 2 });
  const curve: Record<string, number> = { [DEFAULT_CONCURRENCY]: one.eventsPerSecond };
  for (const concurrency of QUICK ? [] : [4, 16])
    curve[concurrency] = (await drainOnce({ ...SLOW, workers: 1, concurrency })).eventsPerSecond;
  return {
    events: SLOW.events,
    webhooks: SLOW.webhooks,
    oneWorkerEventsPerSecond: one.eventsPerSecond,
    twoWorkersEventsPerSecond: two.eventsPerSecond,
    ratio: round(two.eventsPerSecond / one.eventsPerSecond, 2),
    duplicates: one.duplicates + two.duplicates,
    outOfOrder: one.outOfOrder + two.outOfOrder,
    oneWorkerByConcurrency: curve,
    cpu: { oneWorker: one.cpu, twoWorkers: two.cpu },
  };
}

/** Noisy neighbours: every 10th webhook is bad; of those, half hang, half answer 500. */
const isBad = (path: string) => Number(path.slice(2)) % 10 === 9;
const noisyReceiver: Behaviour = (n, path) => {
  if (!isBad(path)) return realisticReceiver(n, path);
  return Number(path.slice(2)) % 20 === 9 ? 'hang' : { delayMs: 0, status: 500 };
};

/**
 * Noisy neighbours (issue 14): the slow-receivers workload, all healthy and then with 10% of the
 * webhooks hanging until the timeout (5 s here, so the run stays short) or answering 500. What the
 * healthy 90% get in both: their delivered events/s, and each one's p99 delay from the worker's
 * start (compared as the worst webhook's, as the drain order of webhooks differs between runs).
 */
export async function benchNoisyNeighbours(concurrency = DEFAULT_CONCURRENCY) {
  const healthy = (path: string) => !isBad(path);
  const base = { ...SLOW, workers: 1, concurrency, settings: { timeoutMs: 5000 }, measure: healthy };
  const calm = await drainOnce(base);
  const noisy = await drainOnce({ ...base, behaviour: noisyReceiver });
  const worst = (r: DrainResult) => Math.max(...r.p99DelayMsByPath.values());
  const typical = (r: DrainResult) => median([...r.p99DelayMsByPath.values()]);
  return {
    concurrency,
    healthyEventsPerSecond: noisy.eventsPerSecond,
    allHealthyEventsPerSecond: calm.eventsPerSecond,
    ratio: round(noisy.eventsPerSecond / calm.eventsPerSecond, 2),
    worstP99DelayMs: worst(noisy),
    allHealthyWorstP99DelayMs: worst(calm),
    delayRatio: round(worst(noisy) / worst(calm), 2),
    medianP99DelayMs: typical(noisy),
    allHealthyMedianP99DelayMs: typical(calm),
    duplicates: calm.duplicates + noisy.duplicates,
    outOfOrder: calm.outOfOrder + noisy.outOfOrder,
  };
}
