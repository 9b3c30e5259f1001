import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient, startReceiver, waitUntil, ofWebhook } from '@hookline/testing';
import { freePort } from './support/private-services.js';
import { startIngest, startWorker, type HooklineProcess } from './support/processes.js';
import { report } from './support/report.js';
import { ADMIN_KEY, startScenario, type Scenario } from './support/scenario.js';

describe('security', () => {
  let s: Scenario;
  const extra: HooklineProcess[] = [];

  beforeAll(async () => {
    s = await startScenario({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
  });
  afterAll(async () => {
    for (const p of extra) if (p.proc.exitCode === null) p.kill('SIGKILL');
    await s.stop();
  });

  const PRIVATE_URLS = [
    'http://127.0.0.1/hook',
    'http://127.1.2.3:8080/hook',
    'http://localhost:3000/hook',
    'http://api.localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/hook',
    'http://172.16.0.1/hook',
    'http://192.168.1.1/hook',
    'http://100.64.0.1/hook',
    'http://0.0.0.0/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fe80::1]/hook',
    'http://[fd00::1]/hook',
    'http://2130706433/hook', // 127.0.0.1 as one integer
    'http://0x7f.1/hook',
  ];

  it('refuses webhook URLs that resolve to loopback, private, link-local or IPv6 equivalents', async () => {
    const refused: string[] = [];
    for (const url of PRIVATE_URLS) {
      const res = await s.api<{ error: { code: string } }>('POST', '/v1/webhooks', {
        name: 'x',
        url,
        events: ['page.hit'],
      });
      expect([url, res.status, res.body.error?.code]).toEqual([url, 422, 'invalid_url']);
      refused.push(url);
    }
    const listed = await s.api<unknown[]>('GET', '/v1/webhooks');
    expect(listed.body).toHaveLength(0);
    report('private URLs refused at creation', { tried: PRIVATE_URLS.length, refused: refused.length });
  });

  it('refuses a private address at connect time too (a name that resolved elsewhere when it was created)', async () => {
    const receiver = await startReceiver();
    try {
      await s.api('PATCH', '/v1/settings', { queueMode: 'queue' });
      // As if DNS had answered a public address at creation and now answers 127.0.0.1.
      const [row] = await s.db
        .knex('webhooks')
        .insert({ name: 'rebound', events: ['page.hit'], secret: 's'.repeat(32) })
        .returning('id');
      await s.db
        .knex('endpoints')
        .insert({ webhook_id: row.id, position: 0, url: receiver.url.replace('127.0.0.1', 'localhost') });
      await s.api('POST', '/v1/events', { type: 'page.hit', payload: {} });
      const worker = await startWorker(s.env);
      extra.push(worker);
      const log = await waitUntil(
        async () => ofWebhook(s.db.knex, 'delivery_logs', row.id).first(),
        20_000,
        100,
      );
      expect(log.status).toBe('failed');
      expect(log.error).toMatch(/resolves to (127\.0\.0\.1|::1), a private or reserved address; refused/);
      expect(receiver.requests).toHaveLength(0);
      worker.kill('SIGTERM');
      await worker.exited;
    } finally {
      await receiver.close();
    }
  });

  it('never writes secrets or API keys to the logs', async () => {
    const port = await freePort();
    // A second ingest with debug logging and a rate limit, on the same database.
    const ingest = await startIngest(
      { ...s.env, LOG_LEVEL: 'debug', HOOKLINE_RATE_LIMIT: '20', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
      port,
    );
    extra.push(ingest);
    const base = `http://127.0.0.1:${port}`;
    const api = apiClient(base, ADMIN_KEY);
    const call = <T>(method: string, path: string, body?: unknown, key?: string) =>
      api<T>(method, path, body, { key });
    const receiver = await startReceiver();
    try {
      const secrets: string[] = [ADMIN_KEY];
      const hook = await call<{ id: string; secret: string }>('POST', '/v1/webhooks', {
        name: 'h',
        url: receiver.url,
        events: ['page.hit'],
        headers: { Authorization: 'Bearer receiver-token-9f8e7d6c5b4a' },
      });
      secrets.push(hook.body.secret, 'receiver-token-9f8e7d6c5b4a');
      const rotated = await call<{ secret: string }>('POST', `/v1/webhooks/${hook.body.id}/rotate-secret`);
      secrets.push(rotated.body.secret);
      const producer = await call<{ key: string }>('POST', '/v1/api-keys', { name: 'p', role: 'producer' });
      const other = await call<{ key: string }>('POST', '/v1/api-keys', { name: 'q', role: 'producer' });
      secrets.push(producer.body.key, other.body.key);
      await call('PATCH', '/v1/settings', { queueMode: 'immediate' });
      await call('POST', `/v1/webhooks/${hook.body.id}/test`);

      // Per-key rate limit: a burst over 20/s with one key gets 429s; another key is unaffected.
      // 60 at once; on a busy machine they may spread over more than a second, so the bound is
      // the limit times the seconds the burst actually took (each started second allows 20).
      const started = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 60 }, () =>
          call('POST', '/v1/events', { type: 'page.hit', payload: {} }, producer.body.key),
        ),
      );
      const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
      const limited = burst.filter((r) => r.status === 429);
      expect(burst.length - limited.length).toBeLessThanOrEqual(20 * seconds);
      expect(limited.length).toBeGreaterThan(0);
      expect(burst.every((r) => r.status === 202 || r.status === 429)).toBe(true);
      for (const r of limited) expect(r.headers.get('retry-after')).toBe('1');
      expect(
        (await call('POST', '/v1/events', { type: 'page.hit', payload: {} }, other.body.key)).status,
      ).toBe(202);
      await call('GET', '/v1/webhooks', undefined, 'hk_not-a-real-key-123456');
      await receiver.waitFor(1);
      await sleep(500);

      const logs = ingest.output() + s.ingest.output();
      expect(logs.length).toBeGreaterThan(1000);
      const leaked = secrets.filter((secret) => logs.includes(secret));
      expect(leaked).toEqual([]);
      report('secrets in logs and rate limit', {
        logBytesScanned: logs.length,
        secretsChecked: secrets.length,
        leaked: leaked.length,
        burst: burst.length,
        rateLimited429: limited.length,
      });
    } finally {
      await receiver.close();
    }
  });
});
