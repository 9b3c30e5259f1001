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
const INGEST_SECONDS = 5;
const CONNECTIONS = 50;

interface IngestRun {
  /** Requests (one event each) accepted per second. */
  rps: number;
  /** Then drained by a worker: events that reached a webhook of another application than theirs. */
  crossed: number;
  delivered: number;
}

/**
 * Single-event ingest into `apps` applications of 10 webhooks each (queue mode, the worker not
 * yet started), each request to the next application in turn: requests accepted per second. Then
 * a worker delivers everything accepted to a receiver that counts each event reaching a webhook
 * of another application than the one it was posted to.
 */
async function ingestRun(apps: number): Promise<IngestRun> {
  const env = await benchEnvironment();
  const knex = connect(env.databaseUrl, { poolMax: 2 });
  const ids = apps === 1 ? ['default'] : Array.from({ length: apps }, (_, a) => `a${a}`);
  // Webhook paths are /<app>/w<n>: the receiver knows whose each is.
  const receiver = await startCountingServer(undefined, { appOfPath: (path) => path.split('/')[1]! });
  const procs: Proc[] = [];
  try {
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
    const requests = ids.map((app) => ({
      method: 'POST' as const,
      path: `/v1/apps/${app}/events`,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'form.submitted',
        payload: { app, contact: { email: 'ada@example.com' } },
      }),
    }));
    const url = `http://127.0.0.1:${port}`;
    // A second's load first, not counted: each process reads an application and its webhooks
    // once, then from its caches, as a running service does.
    const warm = await autocannon({ url, connections: CONNECTIONS, duration: 1, requests });
    const result = await autocannon({ url, connections: CONNECTIONS, duration: INGEST_SECONDS, requests });
    const failed = warm.non2xx + warm.errors + result.non2xx + result.errors;
    if (failed > 0) throw new Error(`bench: ${failed} ingest requests failed`);
    const expected = (warm['2xx'] + result['2xx']) * WEBHOOKS_PER_APP;
    procs.push(await startWorker(env.env));
    const deadline = Date.now() + 600_000;
    while (receiver.events < expected) {
      if (Date.now() > deadline) throw new Error(`bench: ${receiver.events} of ${expected} delivered`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { rps: result['2xx'] / INGEST_SECONDS, crossed: receiver.crossed, delivered: receiver.events };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await receiver.close();
    await knex.destroy();
    await env.dispose();
  }
}

/**
 * 1,000 applications × 10 webhooks against 1 application: single-event ingest (10 webhooks, the
 * same fan-out per event) and the drain of 100,000 queued events over the same 10,000 webhooks
 * (in 1,000 applications, or all in one), each pair back to back; with the receiver counting any
 * event that reaches a webhook of another application than its own.
 */
export async function benchTenants() {
  const ingest = { many: [] as IngestRun[], one: [] as IngestRun[] };
  const drain = { many: [] as DrainResult[], one: [] as DrainResult[] };
  const events = QUICK ? 20_000 : 100_000;
  const webhooks = APPS * WEBHOOKS_PER_APP;
  for (let i = 0; i < RUNS; i++) {
    ingest.many.push(await ingestRun(APPS));
    ingest.one.push(await ingestRun(1));
    drain.many.push(await drainOnce({ events, webhooks, workers: 1, tenancy: { apps: APPS } }));
    drain.one.push(await drainOnce({ events, webhooks, workers: 1, tenancy: { app: 'one' } }));
  }
  const ratios = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!));
  const rates = (runs: DrainResult[]) => runs.map((r) => r.eventsPerSecond);
  return {
    apps: APPS,
    webhooksPerApp: WEBHOOKS_PER_APP,
    ingestManyRps: round(median(ingest.many.map((r) => r.rps)), 0),
    ingestOneRps: round(median(ingest.one.map((r) => r.rps)), 0),
    ingestRatio: round(
      ratios(
        ingest.many.map((r) => r.rps),
        ingest.one.map((r) => r.rps),
      ),
    ),
    ingestedThenDelivered: [...ingest.many, ...ingest.one].reduce((n, r) => n + r.delivered, 0),
    drainEvents: events,
    drainManyEventsPerSecond: round(median(rates(drain.many)), 0),
    drainOneEventsPerSecond: round(median(rates(drain.one)), 0),
    drainRatio: round(ratios(rates(drain.many), rates(drain.one))),
    crossDeliveries:
      [...drain.many, ...drain.one].reduce((n, r) => n + r.crossed, 0) +
      [...ingest.many, ...ingest.one].reduce((n, r) => n + r.crossed, 0),
    duplicates: [...drain.many, ...drain.one].reduce((n, r) => n + r.duplicates, 0),
    outOfOrder: [...drain.many, ...drain.one].reduce((n, r) => n + r.outOfOrder, 0),
    runs: {
      ingestMany: ingest.many.map((x) => round(x.rps, 0)),
      ingestOne: ingest.one.map((x) => round(x.rps, 0)),
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
