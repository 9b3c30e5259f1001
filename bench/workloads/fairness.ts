import { connect, createWebhook } from '@hookline/db';
import { webhookRow } from '@hookline/testing';
import { benchEnvironment } from '../support/environment.js';
import { startCountingServer, type Behaviour } from '../support/counting-server.js';
import { freePort, startIngest, startWorker, type Proc } from '../support/processes.js';
import { median, percentile, round, RUNS } from '../support/stats.js';
import { fill } from './drain.js';

const BUSY_WEBHOOKS = 200;
const BACKLOG = 100_000;
const QUIET_EVENTS = 50;
const QUIET_EVERY_MS = 100;
const RECEIVER_MS = 20;
/** The busy webhooks' rate is counted over this long from the first quiet post, in ms. */
const BUSY_WINDOW_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} not reached within ${timeoutMs} ms`);
    await sleep(20);
  }
}

interface QuietRun {
  /** Delay of each quiet event from its 202 to its arrival, in ms. */
  delaysMs: number[];
  /** Busy webhooks' delivered events/s over BUSY_WINDOW_MS from the first quiet post. */
  busyEventsPerSecond: number;
  duplicates: number;
  outOfOrder: number;
}

/** Where the quiet and busy webhooks live, and how the busy ones' receivers answer. */
export interface QuietScenario {
  busyWebhooks: number;
  /**
   * The quiet webhook alone in application `small`, the busy ones in application `big` (Default:
   * all in application default).
   */
  tenants?: boolean;
  /** A tenth of the busy webhooks' receivers fail (500) or hang, half each (Default: none). */
  failing?: boolean;
}

const ISSUE_20: QuietScenario = { busyWebhooks: BUSY_WEBHOOKS };

/** The busy receivers of a failing scenario: /w0, /w20… answer 500; /w10, /w30… never answer. */
const answer = (failing: boolean) => (_n: number, path: string) => {
  const i = Number(path.slice(2));
  if (failing && path !== '/quiet' && i % 10 === 0)
    return i % 20 === 0 ? { delayMs: 0, status: 500 } : 'hang';
  return { delayMs: RECEIVER_MS, status: 200 };
};

/**
 * One run of the scenario of issue 20: queue mode, cron every second, batchLimit 1, receivers
 * answering in 20 ms; `backlog` events queued over the busy webhooks; one more webhook gets 50
 * events posted to ingest, one every 100 ms. `quietPosts` false measures the busy ones alone.
 */
async function quietRun(backlog: number, quietPosts = true, scenario = ISSUE_20): Promise<QuietRun> {
  const env = await benchEnvironment();
  const receiver = await startCountingServer(answer(scenario.failing ?? false) as Behaviour, {
    perPath: true,
  });
  const procs: Proc[] = [];
  try {
    await fill(
      env.databaseUrl,
      receiver,
      backlog,
      scenario.busyWebhooks,
      // A hanging receiver is given up on after 5 s (the scenario measures shares, not timeouts).
      { batchLimit: 1, ...(scenario.failing ? { timeoutMs: 5000 } : {}) },
      scenario.tenants ? { app: 'big' } : undefined,
    );
    const knex = connect(env.databaseUrl, { poolMax: 1 });
    if (scenario.tenants) await knex('applications').insert({ id: 'small', org_id: 'bench', name: 'small' });
    await createWebhook(
      knex,
      ...webhookRow({
        name: 'quiet',
        url: `${receiver.url}/quiet`,
        events: ['page.hit'],
        appId: scenario.tenants ? 'small' : 'default',
      }),
    );
    await knex.destroy();
    const port = await freePort();
    procs.push(await startIngest(env.env, port));
    procs.push(await startWorker(env.env));
    // The busy webhooks are draining (or, alone, the worker has ticked once).
    if (backlog > 0) await waitFor(() => receiver.events >= 1000, 'the backlog draining');
    else await sleep(1500);

    const quiet = () => receiver.byPath.get('/quiet')?.length ?? 0;
    const startedAt = performance.now();
    const posted: number[] = [];
    for (let seq = 0; seq < QUIET_EVENTS; seq++) {
      if (quietPosts) {
        const res = await fetch(
          `http://127.0.0.1:${port}/v1${scenario.tenants ? '/apps/small' : ''}/events`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${env.env.HOOKLINE_ADMIN_KEY}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ type: 'page.hit', payload: { seq } }),
          },
        );
        if (res.status !== 202) throw new Error(`bench: quiet post answered ${res.status}`);
        posted.push(performance.now());
      }
      await sleep(Math.max(0, startedAt + (seq + 1) * QUIET_EVERY_MS - performance.now()));
    }
    if (quietPosts) await waitFor(() => quiet() >= QUIET_EVENTS, 'all quiet events delivered');
    await sleep(Math.max(0, startedAt + BUSY_WINDOW_MS - performance.now()));
    const arrivals = receiver.byPath.get('/quiet') ?? [];
    let busy = 0;
    for (const [path, times] of receiver.byPath) {
      if (path !== '/quiet')
        busy += times.filter((t) => t >= startedAt && t < startedAt + BUSY_WINDOW_MS).length;
    }
    return {
      // One batch at a time per webhook, in order: the nth arrival is the nth post.
      delaysMs: posted.map((at, i) => arrivals[i]! - at),
      busyEventsPerSecond: busy / (BUSY_WINDOW_MS / 1000),
      duplicates: receiver.duplicates,
      outOfOrder: receiver.outOfOrder,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await receiver.close();
    await env.dispose();
  }
}

/**
 * Quiet beside busy (issue 20): the quiet webhook's p90 and p99 delay beside 200 webhooks holding
 * a 100,000-event backlog, against its delay alone (no backlog), and the busy webhooks' rate
 * beside it against the same backlog drained with no quiet events right after (the median of
 * the pairs' ratios). Medians of RUNS.
 */
export const benchQuietBesideBusy = () => quietBesideBusy(ISSUE_20, BACKLOG);

/** The quiet webhook beside `backlog` events over the scenario's busy webhooks, against each alone. */
export async function quietBesideBusy(scenario: QuietScenario, backlog: number) {
  const alone: QuietRun[] = [];
  const beside: QuietRun[] = [];
  const busyAlone: QuietRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    alone.push(await quietRun(0, true, scenario));
    beside.push(await quietRun(backlog, true, scenario));
    busyAlone.push(await quietRun(backlog, false, scenario));
  }
  const p = (runs: QuietRun[], q: number) => median(runs.map((r) => percentile(r.delaysMs, q)));
  const rate = (runs: QuietRun[]) => median(runs.map((r) => r.busyEventsPerSecond));
  // Each beside/alone pair runs back to back: the median of their ratios is steadier than the
  // ratio of medians on a machine whose speed drifts between minutes.
  const busyRatio = median(beside.map((r, i) => r.busyEventsPerSecond / busyAlone[i]!.busyEventsPerSecond));
  return {
    busyWebhooks: scenario.busyWebhooks,
    backlog,
    quietEvents: QUIET_EVENTS,
    aloneP90Ms: round(p(alone, 90), 0),
    aloneP99Ms: round(p(alone, 99), 0),
    besideP90Ms: round(p(beside, 90), 0),
    besideP99Ms: round(p(beside, 99), 0),
    p90Ratio: round(p(beside, 90) / p(alone, 90)),
    p99Ratio: round(p(beside, 99) / p(alone, 99)),
    busyEventsPerSecond: round(rate(beside), 0),
    busyAloneEventsPerSecond: round(rate(busyAlone), 0),
    busyRatio: round(busyRatio),
    duplicates: [...alone, ...beside, ...busyAlone].reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: [...alone, ...beside, ...busyAlone].reduce((n, r) => n + r.outOfOrder, 0),
    runs: {
      aloneP90: alone.map((r) => round(percentile(r.delaysMs, 90), 0)),
      besideP90: beside.map((r) => round(percentile(r.delaysMs, 90), 0)),
      busy: beside.map((r) => round(r.busyEventsPerSecond, 0)),
      busyAlone: busyAlone.map((r) => round(r.busyEventsPerSecond, 0)),
    },
  };
}
