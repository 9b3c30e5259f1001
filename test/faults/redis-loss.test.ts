import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@hookline/testing';
import { startCountingReceiver } from './support/counting-receiver.js';
import { startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { postSequencedEvents, startScenario, TYPES, type Scenario } from './support/scenario.js';

const EVENTS = 5_000;

describe('Redis flushed and restarted mid-run', () => {
  let s: Scenario;
  let worker: HooklineProcess | undefined;

  beforeAll(async () => {
    s = await startScenario();
  });
  afterAll(async () => {
    if (worker?.proc.exitCode === null) worker.kill('SIGKILL');
    await s.stop();
  });

  it('loses no accepted event: the worker rebuilds its schedule and work from Postgres', async () => {
    const receivers = await Promise.all(
      TYPES.map(() =>
        startCountingReceiver(async () => {
          await sleep(40);
          return { status: 200 };
        }),
      ),
    );
    try {
      await s.api('PATCH', '/v1/settings', { queueMode: 'queue', batchLimit: 50, timeoutMs: 2000 });
      for (const [i, r] of receivers.entries()) {
        await s.api('POST', '/v1/webhooks', { name: `w${i}`, url: r.url, events: [TYPES[i]] });
      }
      await postSequencedEvents(s, EVENTS / 2);
      worker = await startWorker(s.env);
      const total = () => receivers.reduce((n, r) => n + r.tally.distinct.size, 0);
      await waitUntil(() => total() > 200, 60_000, 20);

      const port = new URL(s.redis.url).port;
      execFileSync('redis-cli', ['-p', port, 'FLUSHALL']);
      const atFlush = total();
      await sleep(1000);
      await s.redis.stop(); // and the server dies outright
      // Ingest needs only Postgres: producers keep getting 202 while Redis is down.
      const whileDown = await s.api<{ accepted: number }>('POST', '/v1/events', {
        events: Array.from({ length: 100 }, (_, i) => ({
          type: TYPES[i % 5],
          payload: { seq: EVENTS / 2 + i },
        })),
      });
      expect(whileDown.status).toBe(202);
      await sleep(2000);
      await s.redis.start();
      await postSequencedEvents(s, EVENTS / 2, EVENTS / 2 + 100);

      const expected = EVENTS + 100;
      await waitUntil(() => total() === expected, 120_000, 100);
      expect(worker.proc.exitCode).toBeNull(); // the worker rode it out
      expect(receivers.every((r) => r.tally.ordered)).toBe(true);
      report('Redis FLUSHALL + restart', {
        eventsAccepted: expected,
        deliveredBeforeFlush: atFlush,
        delivered: total(),
        lost: expected - total(),
        duplicated: receivers.reduce((n, r) => n + r.tally.duplicates, 0),
        acceptedWhileRedisDown: whileDown.body.accepted,
      });
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
    }
  });
});
