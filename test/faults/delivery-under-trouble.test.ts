import { setTimeout as sleep } from 'node:timers/promises';
import { connect, migrateLatest } from '@hookline/db';
import { apiClient, startReceiver, waitUntil, type ReceivedRequest, type Reply } from '@hookline/testing';
import { startCountingReceiver } from './support/counting-receiver.js';
import { freePort, startPrivatePostgres } from './support/private-services.js';
import { startApp, startIngest, startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { ADMIN_KEY, startScenario, type Scenario } from './support/scenario.js';

/** The production default: retries must not depend on it. */
const DEFAULT_CRON = '* * * * *';

/** Posts one event `{"seq":n}` every `everyMs` for `count` events; resolves with the statuses. */
async function postSteadily(s: Scenario, type: string, count: number, everyMs: number, from = 0) {
  const statuses: number[] = [];
  const started = Date.now();
  for (let seq = from; seq < from + count; seq++) {
    const res = await s.api('POST', '/v1/events', { type, payload: { seq } });
    statuses.push(res.status);
    const due = started + (seq - from + 1) * everyMs;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  return statuses;
}

const seqsOf = (req: ReceivedRequest) =>
  Object.values(JSON.parse(req.body) as Record<string, { seq: number }[]>).flatMap((l) =>
    l.map((e) => e.seq),
  );

/** A receiver that counts an event delivered only when it answered it with 2xx. */
async function startAcceptingReceiver(reply: (req: ReceivedRequest) => Reply | Promise<Reply>) {
  const delivered = new Set<number>();
  const receiver = await startReceiver(async (req) => {
    const answer = await reply(req);
    if (answer.status < 300) for (const seq of seqsOf(req)) delivered.add(seq);
    return answer;
  });
  return Object.assign(receiver, { delivered });
}

/** Changes settings through ingest, which applies them before it answers; workers start after. */
async function settle(s: Scenario, settings: Record<string, unknown>) {
  expect((await s.api('PATCH', '/v1/settings', settings)).status).toBe(200);
}

describe('delivery under trouble (real processes, default WEBHOOK_CRON)', () => {
  let s: Scenario;
  const workers: HooklineProcess[] = [];

  beforeEach(async () => {
    s = await startScenario({ WEBHOOK_CRON: DEFAULT_CRON });
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.proc.exitCode === null) w.kill('SIGKILL');
    await s.stop();
  });

  it('a receiver answering 500 for 3 s at 50 events/s: every event delivered within 60 s after it heals, the webhook never disabled', async () => {
    let failing = true;
    const receiver = await startAcceptingReceiver(() => ({ status: failing ? 500 : 200 }));
    try {
      await settle(s, { queueMode: 'immediate', disableLimit: 100 });
      workers.push(await startWorker(s.env));
      const hook = await s.api<{ id: string }>('POST', '/v1/webhooks', {
        name: 'blip',
        url: receiver.url,
        events: ['form.submitted'],
      });
      const posting = postSteadily(s, 'form.submitted', 300, 20); // 50/s for 6 s
      await sleep(3000);
      failing = false;
      const healedAt = Date.now();
      const statuses = await posting;
      expect(statuses.every((st) => st === 202)).toBe(true);
      await waitUntil(() => receiver.delivered.size === 300, 60_000, 50);
      const recoveredInMs = Date.now() - healedAt;
      const after = await s.api<{ enabled: boolean; consecutiveFailures: number }>(
        'GET',
        `/v1/webhooks/${hook.body.id}`,
      );
      expect(after.body).toMatchObject({ enabled: true, consecutiveFailures: 0 });
      expect(recoveredInMs).toBeLessThan(60_000);
      report('receiver 500 for 3 s at 50 events/s (immediate, default cron)', {
        accepted: statuses.length,
        delivered: receiver.delivered.size,
        requests: receiver.requests.length,
        allDeliveredAfterHealMs: recoveredInMs,
        disabled: !after.body.enabled,
      });
    } finally {
      await receiver.close();
    }
  });

  it('100 immediate sends cut off by kill -9 of ingest are all delivered within the lock time + 5 s', async () => {
    let hang = true;
    // Requests that reach it while `hang` are held until ingest is dead: their answers go nowhere.
    const receiver = await startReceiver(async () => {
      while (hang) await sleep(50);
      return { status: 200 };
    });
    let reachedBeforeKill = Infinity;
    const resent = () => new Set(receiver.requests.slice(reachedBeforeKill).flatMap(seqsOf));
    try {
      await settle(s, { queueMode: 'immediate', timeoutMs: 2000 });
      workers.push(await startWorker(s.env));
      const lockMs = 2000 + 10_000; // lockMsFor: timeoutMs + 10 s
      await s.api('POST', '/v1/webhooks', { name: 'cut', url: receiver.url, events: ['form.submitted'] });
      const events = Array.from({ length: 100 }, (_, seq) => ({ type: 'form.submitted', payload: { seq } }));
      expect((await s.api('POST', '/v1/events', { events })).status).toBe(202);
      // 64 in flight (the client's sockets per host), the rest queued in the ingest process.
      await waitUntil(() => receiver.requests.length >= 64, 20_000, 20);
      const postedAt = Date.now();
      s.ingest.kill('SIGKILL');
      reachedBeforeKill = receiver.requests.length;
      await s.ingest.exited;
      hang = false;
      await waitUntil(() => resent().size === 100, lockMs + 20_000, 50);
      const deliveredAfterMs = Date.now() - postedAt;
      expect(deliveredAfterMs).toBeLessThan(lockMs + 5000);
      report('100 immediate sends cut off by kill -9 of ingest', {
        sends: 100,
        inFlightAtKill: reachedBeforeKill,
        delivered: resent().size,
        lockMs,
        allDeliveredAfterKillMs: deliveredAfterMs,
      });
    } finally {
      hang = false;
      await receiver.close();
    }
  });

  it('a webhook disabled for 30 s, then enabled, gets every event posted meanwhile, in order', async () => {
    const receiver = await startCountingReceiver();
    try {
      await settle(s, { queueMode: 'immediate' });
      workers.push(await startWorker(s.env));
      const hook = await s.api<{ id: string }>('POST', '/v1/webhooks', {
        name: 'paused',
        url: receiver.url,
        events: ['contact.updated'],
      });
      expect((await s.api('PATCH', `/v1/webhooks/${hook.body.id}`, { enabled: false })).status).toBe(200);
      const statuses = await postSteadily(s, 'contact.updated', 300, 100); // 10/s for 30 s
      expect(statuses.every((st) => st === 202)).toBe(true);
      expect(receiver.requests).toHaveLength(0);
      const enabledAt = Date.now();
      expect((await s.api('POST', `/v1/webhooks/${hook.body.id}/enable`)).status).toBe(200);
      await waitUntil(() => receiver.tally.distinct.size === 300, 30_000, 50);
      expect(receiver.tally.ordered).toBe(true);
      expect(receiver.tally.duplicates).toBe(0);
      report('webhook disabled for 30 s, then enabled', {
        postedWhileDisabled: 300,
        delivered: receiver.tally.distinct.size,
        inOrder: receiver.tally.ordered,
        allDeliveredAfterEnableMs: Date.now() - enabledAt,
      });
    } finally {
      await receiver.close();
    }
  });

  it('two workers compete and are killed with -9 in turn: no batch is sent by two processes at once, order kept', async () => {
    const inFlight = new Map<string, number>(); // webhook -> requests in flight now
    let overlaps = 0;
    const receivers = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        startCountingReceiver(async () => {
          inFlight.set(name, (inFlight.get(name) ?? 0) + 1);
          if (inFlight.get(name)! > 1) overlaps++;
          await sleep(100); // long enough that kills land mid-batch
          inFlight.set(name, inFlight.get(name)! - 1);
          return { status: 200 };
        }),
      ),
    );
    const types = ['form.submitted', 'page.hit', 'email.opened'];
    try {
      await settle(s, { queueMode: 'queue', batchLimit: 20, timeoutMs: 1000 });
      for (const [i, r] of receivers.entries())
        await s.api('POST', '/v1/webhooks', { name: `w${i}`, url: r.url, events: [types[i]] });
      const env = { ...s.env, WEBHOOK_CRON: '*/1 * * * * *' };
      // Both up before any event, so they compete from the first tick (not one draining alone
      // while the other boots).
      workers.push(await startWorker(env), await startWorker(env));
      for (let start = 0; start < 3000; start += 500) {
        const events = [];
        for (let seq = start; seq < start + 500; seq++)
          events.push({ type: types[seq % 3], payload: { seq } });
        expect((await s.api('POST', '/v1/events', { events })).status).toBe(202);
      }
      const total = () => receivers.reduce((n, r) => n + r.tally.distinct.size, 0);
      let kills = 0;
      while (total() < 3000 && kills < 4) {
        await waitUntil(() => [...inFlight.values()].some((n) => n > 0) || total() >= 3000, 30_000, 5);
        if (total() >= 3000) break;
        const victim = workers[kills % 2]!;
        victim.kill('SIGKILL');
        await victim.exited;
        kills++;
        workers[(kills - 1) % 2] = await startWorker(env);
      }
      await waitUntil(() => total() === 3000, 120_000, 50);
      expect(kills).toBeGreaterThan(0);
      expect(overlaps).toBe(0);
      for (const r of receivers) expect(r.tally.ordered).toBe(true);
      report('two workers competing, kill -9 in turn', {
        events: 3000,
        delivered: total(),
        kills,
        concurrentSendsToOneWebhook: overlaps,
        orderKept: receivers.every((r) => r.tally.ordered),
        duplicates: receivers.reduce((n, r) => n + r.tally.duplicates, 0),
      });
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
    }
  });
});

describe('start with Postgres down', () => {
  it('ingest and worker wait, answer 503 meanwhile, and come up by themselves when Postgres starts 10 s later', async () => {
    const pg = await startPrivatePostgres();
    const receiver = await startReceiver();
    const processes: HooklineProcess[] = [];
    try {
      const admin = connect(pg.url.replace(/\/hookline$/, '/postgres'), { poolMax: 1 });
      await admin.raw('CREATE DATABASE hookline');
      await admin.destroy();
      const knex = connect(pg.url, { poolMax: 1 });
      await migrateLatest(knex);
      await knex.destroy();
      pg.stop();

      const scenario = await startScenario({ WEBHOOK_CRON: DEFAULT_CRON });
      try {
        const env = { ...scenario.env, DATABASE_URL: pg.url };
        const port = await freePort();
        const ingest = await startIngest(env, port, { ready: false });
        processes.push(ingest);
        const worker = startApp('worker', env);
        processes.push(worker);
        const base = `http://127.0.0.1:${port}`;
        await waitUntil(() => worker.output().includes('"waiting for Postgres"'), 30_000, 50);
        const api = apiClient(base, ADMIN_KEY);
        const early = await api('POST', '/v1/events', { type: 'form.submitted', payload: {} });
        expect(early.status).toBe(503);
        expect(early.headers.get('retry-after')).toBe('5');
        expect((await fetch(`${base}/readyz`)).status).toBe(503);

        await sleep(10_000);
        const startedAt = Date.now();
        pg.start();
        await waitUntil(
          () => ingest.output().includes('"ingest ready"') && worker.output().includes('"worker started"'),
          30_000,
          50,
        );
        const upAfterMs = Date.now() - startedAt;
        expect((await api('PATCH', '/v1/settings', { queueMode: 'queue' })).status).toBe(200);
        expect(
          (await api('POST', '/v1/webhooks', { name: 'w', url: receiver.url, events: ['form.submitted'] }))
            .status,
        ).toBe(201);
        expect((await api('POST', '/v1/events', { type: 'form.submitted', payload: { n: 1 } })).status).toBe(
          202,
        );
        await receiver.waitFor(1, 70_000); // the next tick of the default cron
        const retries = worker.output().split('"waiting for Postgres"').length - 1;
        expect(ingest.proc.exitCode).toBeNull();
        expect(worker.proc.exitCode).toBeNull();
        report('start with Postgres down (started 10 s later)', {
          ingestUpAfterPostgresMs: upAfterMs,
          workerRetriesLogged: retries,
          answeredWhileDown: early.status,
          delivered: receiver.requests.length,
        });
      } finally {
        for (const p of processes) if (p.proc.exitCode === null) p.kill('SIGKILL');
        await scenario.stop();
      }
    } finally {
      await receiver.close();
      pg.destroy();
    }
  });
});
