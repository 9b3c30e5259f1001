import {
  apiClient,
  clearPrefix,
  createTestDatabase,
  freePort,
  redisUrl,
  testPrefix,
  waitUntil,
  type ApiCall,
  type TestDatabase,
} from '@hookline/testing';
import { startIngest, type HooklineProcess } from '../faults/support/processes.js';

// An application's rateLimit holds across every ingest process: two real ingest processes share
// one count (in Redis), so the limit holds in total, not per process.

const ADMIN_KEY = 'rate-limit-admin-key-0123456789';
const LIMIT = 10;
/** Starting two TypeScript processes: a hang guard for a busy machine, not a speed claim. */
const SPAWNING = 120_000;

describe('rateLimit per application, shared by every ingest process', () => {
  let db: TestDatabase;
  let prefix: string;
  const processes: HooklineProcess[] = [];
  let one: ApiCall;
  let two: ApiCall;

  beforeAll(async () => {
    db = await createTestDatabase();
    prefix = testPrefix();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl(),
      HOOKLINE_QUEUE_PREFIX: prefix,
      HOOKLINE_ADMIN_KEY: ADMIN_KEY,
    };
    const [portOne, portTwo] = [await freePort(), await freePort()];
    processes.push(...(await Promise.all([startIngest(env, portOne), startIngest(env, portTwo)])));
    one = apiClient(`http://127.0.0.1:${portOne}`, ADMIN_KEY);
    two = apiClient(`http://127.0.0.1:${portTwo}`, ADMIN_KEY);
    expect((await one('POST', '/v1/orgs', { id: 'acme', name: 'Acme' })).status).toBe(201);
    expect((await one('POST', '/v1/orgs/acme/apps', { id: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await one('PATCH', '/v1/apps/shop', { rateLimit: LIMIT })).status).toBe(200);
  }, SPAWNING);

  afterAll(async () => {
    for (const p of processes) p.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await clearPrefix(prefix);
    await db.destroy();
  });

  const events = (n: number) => ({
    events: Array.from({ length: n }, (_, i) => ({ type: 'page.hit', payload: { i } })),
  });
  const stored = async () =>
    Number((await db.knex('events').where({ app_id: 'shop' }).count('* as n'))[0]!.n);

  it(
    'a request over the limit gets 429 rate_limited with Retry-After from either process, and nothing is written',
    async () => {
      // Each process reads the application through a 5-second cache: wait until both know the limit.
      await waitUntil(
        async () =>
          (await one('POST', '/v1/apps/shop/events', events(LIMIT + 1))).status === 429 &&
          (await two('POST', '/v1/apps/shop/events', events(LIMIT + 1))).status === 429,
        15_000,
        200,
      );
      // (While a process did not know the limit yet, its requests were taken.)
      const before = await stored();
      const refused = await two('POST', '/v1/apps/shop/events', events(LIMIT + 1));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused.body).toMatchObject({ error: { code: 'rate_limited' } });
      expect(await stored()).toBe(before);
      // Other applications are not limited.
      expect((await one('POST', '/v1/events', events(LIMIT + 1))).status).toBe(202);
    },
    SPAWNING,
  );

  it(
    'the limit holds in total: what one process took in a second, the other cannot take again',
    async () => {
      const before = await stored();
      let accepted = 0;
      let checked = false;
      // Two requests inside one clock second use one window: process one takes 8 of the 10 events,
      // so process two's 8 must be refused. A pair that straddles a second proves nothing and is
      // tried again.
      for (let attempt = 0; attempt < 20 && !checked; attempt++) {
        await waitUntil(() => Date.now() % 1000 < 300, 2000, 5);
        const started = Date.now();
        const first = await one('POST', '/v1/apps/shop/events', events(8));
        const second = await two('POST', '/v1/apps/shop/events', events(8));
        const ended = Date.now();
        accepted += (first.status === 202 ? 8 : 0) + (second.status === 202 ? 8 : 0);
        if (Math.floor(started / 1000) !== Math.floor(ended / 1000)) continue;
        expect(first.status).toBe(202);
        expect(second.status).toBe(429);
        expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        checked = true;
      }
      expect(checked).toBe(true);
      // Refused requests wrote nothing: the stored events are exactly those accepted.
      expect((await stored()) - before).toBe(accepted);
    },
    SPAWNING,
  );
});
