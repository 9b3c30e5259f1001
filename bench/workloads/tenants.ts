import autocannon from 'autocannon';
import { connect, createWebhook, updateSettings } from '@hookline/db';
import { webhookRow } from '@hookline/testing';
import { ADMIN_KEY, benchEnvironment } from '../support/environment.js';
import { startCountingServer } from '../support/counting-server.js';
import { freePort, startIngest, startWorker, type Proc } from '../support/processes.js';
import { median, QUICK, round, RUNS } from '../support/stats.js';
import { drainOnce, type DrainResult } from './drain.js';
import { quietBesideBusy } from './fairness.js';

// Tenancy's cost and fairness (issue 22): ingest and drain with 1,000 applications against one,
// and a one-webhook application beside an application with a large, partly failing backlog.

const APPS = 1000;
const WEBHOOKS_PER_APP = 10;
/** One-second slices of load on each installation, alternating. */
const INGEST_SLICES = 5;
const CONNECTIONS = 50;

interface IngestRun {
  /** Requests (one event each) accepted per second, with 1,000 applications and with one. */
  manyRps: number;
  oneRps: number;
  /** Then drained by a worker: events that reached a webhook of another application than theirs. */
  crossed: number;
  delivered: number;
}

/** An installation of `apps` applications of 10 webhooks each (queue mode), its ingest running. */
interface Installation {
  url: string;
  requests: { method: 'POST'; path: string; headers: Record<string, string>; body: string }[];
  accepted: number;
  /** Starts a worker and resolves once every accepted event reached its webhooks. */
  drained(): Promise<{ crossed: number; delivered: number }>;
  dispose(): Promise<void>;
}

async function installation(apps: number): Promise<Installation> {
  const env = await benchEnvironment();
  const knex = connect(env.databaseUrl, { poolMax: 2 });
  const ids = apps === 1 ? ['default'] : Array.from({ length: apps }, (_, a) => `a${a}`);
  // Webhook paths are /<app>/w<n>: the receiver knows whose each is.
  const receiver = await startCountingServer(undefined, { appOfPath: (path) => path.split('/')[1]! });
  const procs: Proc[] = [];
  await updateSettings(knex, { queueMode: 'queue' });
  if (apps > 1) {
    await knex('organizations').insert({ id: 'bench', name: 'bench' });
    await knex('applications').insert(ids.map((id) => ({ id, org_id: 'bench', name: id })));
  }
  for (const appId of ids)
    for (let w = 0; w < WEBHOOKS_PER_APP; w++)
      await createWebhook(
        knex,
        ...webhookRow({
          name: `w${w}`,
          url: `${receiver.url}/${appId}/w${w}`,
          events: ['form.submitted'],
          appId,
        }),
      );
  const port = await freePort();
  procs.push(await startIngest(env.env, port));
  const self: Installation = {
    url: `http://127.0.0.1:${port}`,
    requests: ids.map((app) => ({
      method: 'POST' as const,
      path: `/v1/apps/${app}/events`,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'form.submitted',
        payload: { app, contact: { email: 'ada@example.com' } },
      }),
    })),
    accepted: 0,
    async drained() {
      const expected = self.accepted * WEBHOOKS_PER_APP;
      procs.push(await startWorker(env.env));
      const deadline = Date.now() + 600_000;
      while (receiver.events < expected) {
        if (Date.now() > deadline) throw new Error(`bench: ${receiver.events} of ${expected} delivered`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return { crossed: receiver.crossed, delivered: receiver.events };
    },
    async dispose() {
      await Promise.all(procs.map((p) => p.stop()));
      await receiver.close();
      await knex.destroy();
      await env.dispose();
    },
  };
  return self;
}

/** `seconds` of single-event load on `target`, each request to the next application: requests accepted. */
async function load(target: Installation, seconds: number): Promise<number> {
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: target.requests,
  });
  const failed = result.non2xx + result.errors;
  if (failed > 0) throw new Error(`bench: ${failed} ingest requests failed`);
  target.accepted += result['2xx'];
  return result['2xx'];
}

/**
 * Single-event ingest into 1,000 applications and into one, both installations running side by
 * side (queue mode, no worker yet) and loaded in alternating one-second slices, so that both see
 * the same minutes of this machine: requests accepted per second by each. Then a worker per
 * installation delivers everything accepted to a receiver that counts each event reaching a
 * webhook of another application than the one it was posted to.
 */
async function ingestRun(): Promise<IngestRun> {
  const many = await installation(APPS);
  const one = await installation(1).catch(async (err: unknown) => {
    await many.dispose();
    throw err;
  });
  try {
    // A second's load first, not counted: each process reads an application and its webhooks
    // once, then from its caches, as a running service does.
    await load(many, 1);
    await load(one, 1);
    let manyAccepted = 0;
    let oneAccepted = 0;
    for (let slice = 0; slice < INGEST_SLICES; slice++) {
      manyAccepted += await load(many, 1);
      oneAccepted += await load(one, 1);
    }
    const delivered = [await many.drained(), await one.drained()];
    return {
      manyRps: manyAccepted / INGEST_SLICES,
      oneRps: oneAccepted / INGEST_SLICES,
      crossed: delivered.reduce((n, d) => n + d.crossed, 0),
      delivered: delivered.reduce((n, d) => n + d.delivered, 0),
    };
  } finally {
    await many.dispose();
    await one.dispose();
  }
}

/**
 * 1,000 applications × 10 webhooks against 1 application: single-event ingest (10 webhooks, the
 * same fan-out per event) and the drain of 100,000 queued events over the same 10,000 webhooks
 * (in 1,000 applications, or all in one), each pair back to back; with the receiver counting any
 * event that reaches a webhook of another application than its own.
 */
export async function benchTenants() {
  const ingest: IngestRun[] = [];
  const drain = { many: [] as DrainResult[], one: [] as DrainResult[] };
  const events = QUICK ? 20_000 : 100_000;
  const webhooks = APPS * WEBHOOKS_PER_APP;
  for (let i = 0; i < RUNS; i++) {
    ingest.push(await ingestRun());
    drain.many.push(await drainOnce({ events, webhooks, workers: 1, tenancy: { apps: APPS } }));
    drain.one.push(await drainOnce({ events, webhooks, workers: 1, tenancy: { app: 'one' } }));
  }
  const ratios = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
  const rates = (runs: DrainResult[]) => runs.map((r) => r.eventsPerSecond);
  const manyRps = ingest.map((r) => r.manyRps);
  const oneRps = ingest.map((r) => r.oneRps);
  return {
    apps: APPS,
    webhooksPerApp: WEBHOOKS_PER_APP,
    ingestManyRps: round(median(manyRps), 0),
    ingestOneRps: round(median(oneRps), 0),
    ingestRatio: round(ratios(manyRps, oneRps)),
    ingestedThenDelivered: ingest.reduce((n, r) => n + r.delivered, 0),
    drainEvents: events,
    drainManyEventsPerSecond: round(median(rates(drain.many)), 0),
    drainOneEventsPerSecond: round(median(rates(drain.one)), 0),
    drainRatio: round(ratios(rates(drain.many), rates(drain.one))),
    crossDeliveries:
      [...drain.many, ...drain.one].reduce((n, r) => n + r.crossed, 0) +
      ingest.reduce((n, r) => n + r.crossed, 0),
    duplicates: [...drain.many, ...drain.one].reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: [...drain.many, ...drain.one].reduce((n, r) => n + r.outOfOrder, 0),
    runs: {
      ingestMany: manyRps.map((x) => round(x, 0)),
      ingestOne: oneRps.map((x) => round(x, 0)),
      drainMany: rates(drain.many),
      drainOne: rates(drain.one),
    },
  };
}

/**
 * Application small (one webhook, 50 events posted one every 100 ms) beside application big
 * (1,000,000 queued events over 1,000 webhooks, a tenth of whose receivers fail or hang):
 * small's delay against small alone, big's rate against big alone.
 */
export const benchSmallBesideBig = () =>
  quietBesideBusy({ busyWebhooks: 1000, tenants: true, failing: true }, QUICK ? 100_000 : 1_000_000);
