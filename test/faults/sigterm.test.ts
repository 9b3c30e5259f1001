import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { queueDepth } from '@hookline/db';
import { startReceiver, waitUntil, ofWebhook } from '@hookline/testing';
import { startWorker } from './support/processes.js';
import { report } from './support/report.js';
import { ADMIN_KEY, startScenario, type Scenario } from './support/scenario.js';

describe('SIGTERM', () => {
  let s: Scenario;

  beforeAll(async () => {
    s = await startScenario();
  });
  afterAll(() => s.stop());

  it('the worker finishes the batch in flight, records it, and exits 0', async () => {
    let answered = 0;
    const receiver = await startReceiver(async () => {
      await sleep(2000);
      answered++;
      return { status: 200 };
    });
    try {
      await s.api('PATCH', '/v1/settings', { queueMode: 'queue', batchLimit: 5 });
      const hook = await s.api<{ id: string }>('POST', '/v1/webhooks', {
        name: 'slow',
        url: receiver.url,
        events: ['page.hit'],
      });
      await s.api('POST', '/v1/events', {
        events: Array.from({ length: 20 }, (_, seq) => ({ type: 'page.hit', payload: { seq } })),
      });
      const worker = await startWorker(s.env);
      await receiver.waitFor(1, 20_000);
      const signalledAt = Date.now();
      worker.kill('SIGTERM');
      const code = await worker.exited;
      const tookMs = Date.now() - signalledAt;
      expect(code).toBe(0);
      expect(answered).toBe(1); // it waited for the receiver's answer…
      expect(receiver.requests).toHaveLength(1); // …and started no new batch
      const logs = await ofWebhook(s.db.knex, 'delivery_logs', hook.body.id);
      expect(logs.map((l: { status: string }) => l.status)).toEqual(['success']);
      const left = await queueDepth(s.db.knex, hook.body.id);
      expect(left).toBe(15);
      report('SIGTERM worker', {
        exitCode: code,
        batchesInFlight: 1,
        recorded: logs.length,
        eventsLeftQueued: left,
        shutdownMs: tookMs,
      });
    } finally {
      await receiver.close();
    }
  });

  it('ingest stops accepting, finishes the request in flight with 202, and exits 0', async () => {
    const port = new URL(s.base).port;
    const body = JSON.stringify({ type: 'page.hit', payload: { slow: 'x'.repeat(50_000) } });
    // A request whose body is still arriving when SIGTERM lands.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/events',
          headers: {
            authorization: `Bearer ${ADMIN_KEY}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 1000));
      setTimeout(() => {
        s.ingest.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(1000)), 500);
      }, 200);
    });
    expect(await inFlight).toBe(202);
    const code = await s.ingest.exited;
    expect(code).toBe(0);
    await waitUntil(
      async () =>
        await fetch(`${s.base}/healthz`).then(
          () => false,
          () => true,
        ),
      5000,
      50,
    );
    const stored = await s.db.knex('events').whereRaw(`payload LIKE '{"slow":%'`);
    expect(stored).toHaveLength(1);
    report('SIGTERM ingest', { inFlightRequestStatus: 202, exitCode: code, refusesNewConnections: true });
  });
});
