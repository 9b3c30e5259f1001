import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '@hookline/testing';
import { startCountingReceiver } from './support/counting-receiver.js';
import { startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { postSequencedEvents, startScenario, TYPES, type Scenario } from './support/scenario.js';

const EVENTS = 10_000;
const KILLS = 5;
const BATCH_LIMIT = 100;

describe('kill -9 of the worker mid-batch', () => {
  let s: Scenario;
  let worker: HooklineProcess | undefined;

  beforeAll(async () => {
    s = await startScenario();
  });
  afterAll(async () => {
    if (worker?.proc.exitCode === null) worker.kill('SIGKILL');
    await s.stop();
  });

  it(`loses none of ${EVENTS} events over ${KILLS} kills; duplicates only from batches in flight; order kept`, async () => {
    // A batch is in flight from its arrival at the receiver until the worker has recorded the
    // answer; the receiver sees only the first part, so batches answered just before a kill count.
    let inFlight = new Set<string>();
    const answeredAt = new Map<string, number>();
    const inFlightAtKills = new Set<string>();
    let inFlightSummedOverKills = 0; // a batch resent and killed again counts at each kill
    const caughtBy = new Map<string, number[]>(); // delivery id -> kills that caught it
    const arrivals = new Map<string, number[]>(); // delivery id -> arrival times
    const killTimes: number[] = [];
    const receivers = await Promise.all(
      TYPES.map(() =>
        startCountingReceiver(async (req) => {
          const id = req.headers['x-hookline-delivery'] as string;
          inFlight.add(id);
          arrivals.set(id, [...(arrivals.get(id) ?? []), Date.now()]);
          await sleep(150); // long enough that a kill lands while batches are in flight
          inFlight.delete(id);
          answeredAt.set(id, Date.now());
          return { status: 200 };
        }),
      ),
    );
    try {
      await s.api('PATCH', '/v1/settings', { queueMode: 'queue', batchLimit: BATCH_LIMIT, timeoutMs: 2000 });
      for (const [i, r] of receivers.entries()) {
        const res = await s.api('POST', '/v1/webhooks', { name: `w${i}`, url: r.url, events: [TYPES[i]] });
        expect(res.status).toBe(201);
      }
      await postSequencedEvents(s, EVENTS);

      const started = Date.now();
      const total = () => receivers.reduce((n, r) => n + r.tally.distinct.size, 0);
      for (let kill = 0; kill < KILLS; kill++) {
        worker = await startWorker(s.env);
        await waitUntil(() => inFlight.size > 0, 60_000, 5);
        worker.kill('SIGKILL');
        const killedAt = Date.now();
        killTimes.push(killedAt);
        await worker.exited;
        // Bytes already in the socket buffer still reach the receiver after the process dies.
        await sleep(300);
        const caught = new Set([
          ...inFlight,
          ...[...answeredAt].filter(([, at]) => at > killedAt - 1000).map(([id]) => id),
          ...[...arrivals].filter(([, at]) => at.some((a) => a > killedAt - 1000)).map(([id]) => id),
        ]);
        for (const id of caught) {
          inFlightAtKills.add(id);
          caughtBy.set(id, [...(caughtBy.get(id) ?? []), kill]);
        }
        inFlightSummedOverKills += caught.size;
        inFlight = new Set();
      }
      worker = await startWorker(s.env);
      await waitUntil(() => total() === EVENTS, 180_000, 100);
      await sleep(1500); // anything more that arrives now would be a duplicate to count

      const duplicates = receivers.reduce((n, r) => n + r.tally.duplicates, 0);
      // Requests seen more than once must be resends of batches a kill interrupted.
      const resent = receivers.flatMap((r) => {
        const seen = new Set<string>();
        return r.requests.flatMap((q) => {
          const id = q.headers['x-hookline-delivery'] as string;
          if (seen.has(id)) return [id];
          seen.add(id);
          return [];
        });
      });
      expect(total()).toBe(EVENTS);
      expect(receivers.every((r) => r.tally.ordered)).toBe(true);
      for (const id of resent) expect(inFlightAtKills).toContain(id);
      const t0 = killTimes[0] ?? 0;
      const detail = [...arrivals]
        .filter(([, at]) => at.length > 1)
        .map(([id, at]) => ({ id, arrivals: at.map((a) => a - t0), caughtBy: caughtBy.get(id) }));
      if (duplicates > inFlightSummedOverKills * BATCH_LIMIT) {
        console.log(JSON.stringify({ kills: killTimes.map((k) => k - t0), detail }, null, 1));
      }
      expect(duplicates).toBeLessThanOrEqual(inFlightSummedOverKills * BATCH_LIMIT);
      report('worker kill -9', {
        eventsSent: EVENTS,
        webhooks: TYPES.length,
        kills: KILLS,
        delivered: total(),
        lost: EVENTS - total(),
        duplicated: duplicates,
        batchesInFlightAtKills: inFlightSummedOverKills,
        batchesResent: new Set(resent).size,
        orderKept: receivers.every((r) => r.tally.ordered),
        seconds: Math.round((Date.now() - started) / 1000),
      });
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
    }
  });
});
