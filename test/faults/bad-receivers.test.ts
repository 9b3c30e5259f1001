import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { waitUntil, ofWebhook } from '@hookline/testing';
import { freePort } from './support/private-services.js';
import { startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { startScenario, type Scenario } from './support/scenario.js';

type Behaviour = 'http500' | 'http429' | 'http410' | 'hang' | 'refuse' | 'redirect' | 'huge' | 'cutoff';
const BEHAVIOURS: Behaviour[] = [
  'http500',
  'http429',
  'http410',
  'hang',
  'refuse',
  'redirect',
  'huge',
  'cutoff',
];
const ATTEMPTS = 4;

interface Seen {
  at: number[];
  ids: string[];
  bodies: string[];
}

describe('receivers that misbehave', () => {
  let s: Scenario;
  let worker: HooklineProcess;
  let server: Server;
  const seen = new Map<Behaviour, Seen>();

  beforeAll(async () => {
    s = await startScenario({
      // The production default: retries keep their own clock, whatever the cron says.
      WEBHOOK_CRON: '* * * * *',
      HOOKLINE_RETRY_BASE_MS: '400',
      HOOKLINE_RETRY_MAX_MS: '5000',
      HOOKLINE_RETRY_ATTEMPTS: String(ATTEMPTS),
    });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const kind = req.url!.slice(1) as Behaviour;
        const entry = seen.get(kind) ?? { at: [], ids: [], bodies: [] };
        entry.at.push(Date.now());
        entry.ids.push(req.headers['x-hookline-delivery'] as string);
        entry.bodies.push(Buffer.concat(chunks).toString());
        seen.set(kind, entry);
        switch (kind) {
          case 'http500':
            return res.writeHead(500).end('internal');
          case 'http429':
            return res.writeHead(429, { 'retry-after': '2' }).end('slow down');
          case 'http410':
            return res.writeHead(410).end('gone');
          case 'hang':
            return; // never answers; the worker's timeout must fire
          case 'redirect':
            return res.writeHead(302, { location: '/http500' }).end();
          case 'huge': {
            res.writeHead(200, { 'content-type': 'text/plain' });
            const mb = Buffer.alloc(1024 * 1024, 'x');
            let sent = 0;
            const pump = () => {
              while (sent < 10 && res.write(mb)) sent++;
              if (sent < 10) res.once('drain', () => (sent++, pump()));
              else res.end();
            };
            return pump();
          }
          case 'cutoff':
            res.writeHead(200, { 'content-length': '1000' });
            res.write('partial');
            return setTimeout(() => res.socket?.destroy(), 20);
          default:
            return res.writeHead(404).end();
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }, 60_000);
  afterAll(async () => {
    if (worker?.proc.exitCode === null) worker.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
    await s.stop();
  });

  it('stays up, logs truthfully, retries the same batch on a growing schedule, and records the failure as redeliverable', async () => {
    const port = (server.address() as AddressInfo).port;
    const closedPort = await freePort();
    // Immediate mode: the first attempt goes out at once; every retry is the worker's.
    await s.api('PATCH', '/v1/settings', { queueMode: 'immediate', timeoutMs: 1000, disableLimit: 100 });
    const hooks = new Map<Behaviour, string>();
    for (const kind of BEHAVIOURS) {
      const url =
        kind === 'refuse' ? `http://127.0.0.1:${closedPort}/refuse` : `http://127.0.0.1:${port}/${kind}`;
      const res = await s.api<{ id: string }>('POST', '/v1/webhooks', {
        name: kind,
        url,
        events: ['page.hit'],
      });
      hooks.set(kind, res.body.id);
    }
    worker = await startWorker(s.env);
    expect((await s.api('POST', '/v1/events', { type: 'page.hit', payload: { seq: 1 } })).status).toBe(202);

    type Log = {
      id: string;
      status: string;
      statusCode: number | null;
      attempt: number;
      error: string | null;
      responseSnippet: string | null;
      createdAt: string;
    };
    const logsOf = async (kind: Behaviour) =>
      (await s.api<Log[]>('GET', `/v1/webhooks/${hooks.get(kind)}/deliveries`)).body.reverse();
    const settled = async (kind: Behaviour) => {
      const logs = await logsOf(kind);
      if (kind === 'huge') return logs.length === 1;
      if (kind === 'http410') return logs.length === 1;
      return logs.length === ATTEMPTS;
    };
    await waitUntil(async () => (await Promise.all(BEHAVIOURS.map(settled))).every(Boolean), 120_000, 250);
    expect(worker.proc.exitCode).toBeNull();

    const figures: Record<string, unknown> = {};
    for (const kind of BEHAVIOURS) {
      const logs = await logsOf(kind);
      figures[kind] = logs.map((l) => `${l.status}:${l.statusCode ?? '-'}:${l.error ?? ''}`.slice(0, 60));
      const hook = (await s.api<{ enabled: boolean }>('GET', `/v1/webhooks/${hooks.get(kind)}`)).body;
      if (kind === 'huge') {
        expect(logs[0]).toMatchObject({ status: 'success', statusCode: 200 });
        expect(logs[0]!.responseSnippet!.length).toBeLessThanOrEqual(1024);
        continue;
      }
      if (kind === 'http410') {
        expect(logs[0]).toMatchObject({ status: 'failed', statusCode: 410 });
        expect(hook.enabled).toBe(false);
        continue;
      }
      expect(logs.map((l) => l.status)).toEqual(Array(ATTEMPTS).fill('failed'));
      expect(logs.map((l) => l.attempt)).toEqual([1, 2, 3, 4]);
      const expectCode = { http500: 500, http429: 429, redirect: 302, hang: null, refuse: null, cutoff: 200 }[
        kind
      ];
      for (const l of logs) expect(l.statusCode).toBe(expectCode);
      if (kind === 'hang') for (const l of logs) expect(l.error).toMatch(/timeout/i);
      if (kind === 'refuse') for (const l of logs) expect(l.error).toMatch(/ECONNREFUSED/);
      if (kind === 'redirect') for (const l of logs) expect(l.error).toBe('redirect (302) not followed');
      if (kind === 'cutoff') for (const l of logs) expect(l.error).toMatch(/^response interrupted/);

      // Same batch every time: one delivery id, one body.
      const got = seen.get(kind);
      if (got) {
        expect(new Set(got.ids).size).toBe(1);
        expect(new Set(got.bodies).size).toBe(1);
      }
      // Growing delays: at least half the doubling base (equal jitter), and never before Retry-After.
      const times = logs.map((l) => Date.parse(l.createdAt));
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      figures[`${kind}GapsMs`] = gaps;
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual((400 * 2 ** i) / 2 - 50));
      // …and on time: the schedule (or Retry-After), plus the attempt itself (a hang takes the
      // 1 s timeout), plus at most the recovery sweep's second and some slack; the cron (once a
      // minute here) plays no part.
      gaps.forEach((gap, i) => {
        const due = Math.max(400 * 2 ** i, kind === 'http429' ? 2000 : 0);
        expect(gap).toBeLessThanOrEqual(due + (kind === 'hang' ? 1000 : 0) + 2000);
      });
      if (kind === 'http429') for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1950);

      // After retries run out the batch is failed, visible, and redeliverable.
      const batch = await ofWebhook(s.db.knex, 'batches', hooks.get(kind)!).first();
      expect(batch.status).toBe('failed');
      expect(hook.enabled).toBe(true);
    }
    const redo = await s.api<{ delivered: boolean; deliveryId: string }>(
      'POST',
      `/v1/deliveries/${(await logsOf('http500'))[0]!.id}/redeliver`,
    );
    expect(redo.status).toBe(200);
    expect(redo.body.delivered).toBe(false);
    expect(seen.get('http500')!.ids.at(-1)).toBe(redo.body.deliveryId);
    report('receivers that misbehave', figures);
  });
});
