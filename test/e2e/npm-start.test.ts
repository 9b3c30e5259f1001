import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { updateSettings } from '@hookline/db';
import {
  apiClient,
  clearPrefix,
  createTestDatabase,
  freePort,
  redisUrl,
  startReceiver,
  testPrefix,
  waitUntil,
  type Receiver,
  type TestDatabase,
} from '@hookline/testing';
import { independentHmacSha256Base64 } from '../support/independent-hmac.js';

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';

describe('npm start (ingest and worker as real processes)', () => {
  let db: TestDatabase;
  let receiver: Receiver;
  let child: ChildProcess;
  let output = '';
  let base: string;
  const prefix = testPrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    await updateSettings(db.knex, { queueMode: 'queue' });
    receiver = await startReceiver();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn('npm', ['start'], {
      detached: true, // own process group, so the test can signal npm, concurrently and both apps
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: db.url,
        REDIS_URL: redisUrl(),
        PORT: String(port),
        HOOKLINE_ADMIN_KEY: ADMIN_KEY,
        WEBHOOK_CRON: '*/1 * * * * *',
        WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
        HOOKLINE_QUEUE_PREFIX: prefix,
      },
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await waitUntil(
      async () => {
        const res = await fetch(`${base}/readyz`).catch(() => undefined);
        return res?.status === 200;
      },
      30_000,
      200,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      process.kill(-child.pid!, 'SIGKILL');
    }
    await receiver.close();
    await clearPrefix(prefix);
    await db.destroy();
  });

  const api = (method: string, path: string, body?: unknown) =>
    apiClient(base, ADMIN_KEY)<Record<string, unknown>>(method, path, body);

  it('runs the compiled build with plain node (no TypeScript loader)', async () => {
    // The processes in npm start's process group, by their command lines (Linux /proc).
    const group = String(child.pid);
    const commands: string[] = [];
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      // Field 5 is the process group; the command name (field 2) may hold spaces, so count from ')'.
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2] !== group) continue;
      commands.push((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').join(' '));
    }
    expect(commands.some((c) => c.includes('apps/ingest/dist/main.js'))).toBe(true);
    expect(commands.some((c) => c.includes('apps/worker/dist/main.js'))).toBe(true);
    expect(commands.filter((c) => c.includes('tsx'))).toEqual([]);
  });

  it('serves the API and the cron-driven worker drains queued events', async () => {
    // Queue mode was stored before start (beforeAll): no wait for processes to pick a change up.
    expect((await api('GET', '/v1/settings')).body).toMatchObject({ queueMode: 'queue' });
    const hook = await api('POST', '/v1/webhooks', {
      name: 'e2e',
      url: receiver.url,
      events: ['form.submitted'],
    });
    expect(hook.status).toBe(201);
    const posted = await api('POST', '/v1/events', {
      events: [
        { type: 'form.submitted', payload: { n: 1 } },
        { type: 'form.submitted', payload: { n: 2 } },
      ],
    });
    expect(posted.status).toBe(202);

    const [req] = await receiver.waitFor(1, 15_000);
    const body = JSON.parse(req!.body) as { 'form.submitted': { n: number }[] };
    expect(body['form.submitted'].map((e) => e.n)).toEqual([1, 2]);
    expect(req!.headers['webhook-signature']).toBe(
      independentHmacSha256Base64(hook.body.secret as string, req!.raw),
    );
    expect(req!.headers['user-agent']).toMatch(/^Hookline\/\d+\.\d+\.\d+$/);
    // Logs are JSON lines and never carry the secret.
    expect(output).toContain('"service":"worker"');
    expect(output).not.toContain(hook.body.secret as string);
  });

  it('SIGTERM to npm alone stops both processes cleanly, and npm exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Only npm's own pid, as a service manager or `kill <pid>` would: it must reach both apps.
    process.kill(child.pid!, 'SIGTERM');
    const stopped = (service: string) =>
      output
        .split('\n')
        .some((line) => line.includes(`"service":"${service}"`) && line.includes('"message":"stopped"'));
    await waitUntil(() => stopped('ingest') && stopped('worker'), 15_000, 50);
    expect(await exited).toBe(0);
    await waitUntil(
      () =>
        fetch(`${base}/healthz`).then(
          () => false,
          () => true,
        ),
      5000,
      50,
    );
  }, 20_000);
});
