import { setTimeout as sleep } from 'node:timers/promises';
import { connect, ensureDatabase, migrateLatest } from '@hookline/db';
import { waitUntil, type TestDatabase } from '@hookline/testing';
import { startCountingReceiver } from './support/counting-receiver.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-services.js';
import { startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { ADMIN_KEY, startScenario, type Scenario } from './support/scenario.js';

describe('Postgres stopped during ingest', () => {
  let pg: PrivatePostgres;
  let s: Scenario;
  let worker: HooklineProcess | undefined;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    await ensureDatabase(pg.url);
    const knex = connect(pg.url, { poolMax: 2 });
    await migrateLatest(knex);
    const db: TestDatabase = { url: pg.url, knex, destroy: async () => knex.destroy() };
    s = await startScenario({}, db);
  }, 120_000);
  afterAll(async () => {
    if (worker?.proc.exitCode === null) worker.kill('SIGKILL');
    await s.stop();
    pg.destroy();
  });

  it('answers 503 with Retry-After, never 202 for an unsaved event, and keeps every 202 after restart', async () => {
    const receiver = await startCountingReceiver();
    try {
      await s.api('PATCH', '/v1/settings', { queueMode: 'queue', batchLimit: 100 });
      await s.api('POST', '/v1/webhooks', { name: 'w', url: receiver.url, events: ['form.submitted'] });
      worker = await startWorker(s.env);

      const statuses = new Map<number, number>();
      const accepted: number[] = [];
      let missingRetryAfter = 0;
      let seq = 0;
      let producing = true;
      const producer = async () => {
        while (producing) {
          const mine = seq++;
          const res = await fetch(`${s.base}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'form.submitted', id: `evt-${mine}`, payload: { seq: mine } }),
          }).catch(() => undefined);
          const status = res?.status ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 202) accepted.push(mine);
          if (status === 503 && !res?.headers.get('retry-after')) missingRetryAfter++;
          await res?.text();
          if (status !== 202) await sleep(50);
        }
      };
      const producers = [producer(), producer(), producer()];
      await sleep(1500);
      pg.stop();
      await sleep(4000);
      pg.start();
      await sleep(3000);
      producing = false;
      await Promise.all(producers);

      expect([...statuses.keys()].sort()).toEqual([202, 503]);
      expect(missingRetryAfter).toBe(0);
      await waitUntil(() => accepted.every((n) => receiver.tally.distinct.has(n)), 90_000, 200);
      const stored = await s.db.knex('events').count<{ count: string }[]>({ count: '*' });
      expect(Number(stored[0]!.count)).toBeGreaterThanOrEqual(accepted.length);
      expect(worker.proc.exitCode).toBeNull();
      report('Postgres stopped during ingest', {
        requests: [...statuses.values()].reduce((a, b) => a + b, 0),
        accepted202: accepted.length,
        refused503: statuses.get(503) ?? 0,
        otherStatuses: [...statuses.keys()].filter((k) => k !== 202 && k !== 503),
        acceptedThenLost: accepted.filter((n) => !receiver.tally.distinct.has(n)).length,
        delivered: receiver.tally.distinct.size,
        duplicated: receiver.tally.duplicates,
        outageSeconds: 4,
      });
    } finally {
      await receiver.close();
    }
  });
});
