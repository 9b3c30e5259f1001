import { connect, createWebhook, updateSettings } from '@hookline/db';
import { benchEnvironment, REDIS_URL, sampleRss, rssMb } from '../support/environment.js';
import { startCountingServer, type CountingServer } from '../support/counting-server.js';
import { runToEnd, startWorker, type Proc } from '../support/processes.js';
import { median, round } from '../support/stats.js';

/** Queues `events` events round-robin over `webhooks` webhooks straight in SQL (the fill is not what is measured). */
async function fill(
  databaseUrl: string,
  receiver: CountingServer,
  events: number,
  webhooks: number,
  batchLimit: number,
) {
  const knex = connect(databaseUrl, { poolMax: 2 });
  try {
    await updateSettings(knex, { queueMode: 'queue', batchLimit });
    for (let i = 0; i < webhooks; i++) {
      await createWebhook(knex, {
        name: `w${i}`,
        description: null,
        url: `${receiver.url}/w${i}`,
        events: ['form.submitted'],
        enabled: true,
        secret: 'bench-secret-0123456789',
        headers: null,
        method: 'POST',
        contentType: 'application/json',
        bodyTemplate: null,
        filter: null,
        order: null,
        signature: 'mautic',
        eventNames: 'native',
      });
    }
    await knex.raw(
      `INSERT INTO events (id, type, payload, occurred_at)
       SELECT g + 1, 'form.submitted', '{"seq":' || g || ',"contact":{"email":"c' || g || '@example.com"}}', now()
       FROM generate_series(0, ?::int - 1) g`,
      [events],
    );
    await knex.raw(`SELECT setval('events_id_seq', ?::bigint)`, [events]);
    await knex.raw(
      `INSERT INTO webhook_queue (webhook_id, event_id)
       SELECT w.id, e.id FROM events e
       JOIN (SELECT id, (row_number() OVER (ORDER BY name)) - 1 AS n FROM webhooks) w ON (e.id - 1) % ? = w.n
       ORDER BY e.id`,
      [webhooks],
    );
    await knex.raw('ANALYZE');
  } finally {
    await knex.destroy();
  }
}

export interface DrainResult {
  eventsPerSecond: number;
  seconds: number;
  duplicates: number;
  outOfOrder: number;
  workerPeakRssMb: number;
  workerStartRssMb: number;
}

/** Drains `events` queued events with `workers` worker processes; rate from first to last arrival. */
export async function drainOnce(
  events: number,
  webhooks: number,
  workers: number,
  batchLimit = 100,
  receiverDelayMs?: (n: number) => number,
): Promise<DrainResult> {
  const env = await benchEnvironment({ WORKER_CONCURRENCY: '16' });
  const receiver = await startCountingServer(receiverDelayMs);
  const procs: Proc[] = [];
  try {
    await fill(env.databaseUrl, receiver, events, webhooks, batchLimit);
    for (let i = 0; i < workers; i++) procs.push(await startWorker(env.env));
    const startRss = rssMb(procs[0]!.proc.pid!);
    const rss = sampleRss(procs[0]!.proc.pid!);
    const deadline = Date.now() + 300_000;
    while (receiver.events - receiver.duplicates < events) {
      if (Date.now() > deadline) throw new Error(`drain stalled at ${receiver.events} of ${events}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const peak = rss.stop();
    const seconds = (receiver.lastAt - receiver.firstAt) / 1000;
    return {
      eventsPerSecond: round(events / seconds, 0),
      seconds: round(seconds),
      duplicates: receiver.duplicates,
      outOfOrder: receiver.outOfOrder,
      workerPeakRssMb: round(peak, 0),
      workerStartRssMb: round(startRss, 0),
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await receiver.close();
    await env.dispose();
  }
}

/** Workload 2: 100k queued events over 10 webhooks, batchLimit 100, vs the naive job-per-event design. */
export async function benchDrain(runs = 3) {
  const ours: DrainResult[] = [];
  const naive: number[] = [];
  const NAIVE_EVENTS = 10_000;
  for (let i = 0; i < runs; i++) {
    ours.push(await drainOnce(100_000, 10, 1));
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

/** Workload 4: worker RSS while draining a 1,000,000-event backlog. */
export async function benchMemory() {
  const result = await drainOnce(1_000_000, 10, 1);
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
export async function benchScaleOut(runs = 3) {
  const one: number[] = [];
  const two: number[] = [];
  let duplicates = 0;
  let outOfOrder = 0;
  for (let i = 0; i < runs; i++) {
    const a = await drainOnce(100_000, 10, 1);
    const b = await drainOnce(100_000, 10, 2);
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
export function realisticDelayMs(n: number): number {
  if (n % 100 === 99) return 2000;
  return 30 + ((n * 7919) % 41);
}

/**
 * Slow receivers (issue 14): 200,000 queued events over 500 webhooks whose receiver answers as
 * realisticDelayMs says, batchLimit 100, drained by 1 and then by 2 worker processes
 * (WORKER_CONCURRENCY 16 each). The work waits on the network, so a second worker should help.
 */
export async function benchSlowReceivers() {
  const one = await drainOnce(200_000, 500, 1, 100, realisticDelayMs);
  const two = await drainOnce(200_000, 500, 2, 100, realisticDelayMs);
  return {
    events: 200_000,
    webhooks: 500,
    oneWorkerEventsPerSecond: one.eventsPerSecond,
    twoWorkersEventsPerSecond: two.eventsPerSecond,
    ratio: round(two.eventsPerSecond / one.eventsPerSecond, 2),
    duplicates: one.duplicates + two.duplicates,
    outOfOrder: one.outOfOrder + two.outOfOrder,
  };
}
