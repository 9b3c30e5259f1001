import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startHarness, startReceiver, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

const run = promisify(execFile);

describe('ops CLI (npm run cli)', () => {
  let h: Harness;
  let receiver: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'queue' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  const cli = async (...args: string[]) => {
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: h.db.url,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    };
    return run('npm', ['run', '--silent', 'cli', '--', ...args], { env });
  };

  it('creates an API key that the API accepts, with its role', async () => {
    const { stdout } = await cli('keys', 'create', '--role', 'producer', '--name', 'crm');
    const created = JSON.parse(stdout) as { key: string; role: string };
    expect(created.role).toBe('producer');
    const posted = await h.api('POST', '/v1/events', { type: 'page.hit', payload: {} }, { key: created.key });
    expect(posted.status).toBe(202);
    expect((await h.api('GET', '/v1/webhooks', undefined, { key: created.key })).status).toBe(403);
  });

  it('gets and sets settings, refusing invalid values', async () => {
    const set = await cli('settings', 'set', 'batchLimit=4', 'order=reverse');
    expect(JSON.parse(set.stdout)).toMatchObject({ batchLimit: 4, order: 'reverse', queueMode: 'queue' });
    const got = await cli('settings', 'get');
    expect(JSON.parse(got.stdout)).toMatchObject({ batchLimit: 4, order: 'reverse' });
    await expect(cli('settings', 'set', 'batchLimit=0')).rejects.toMatchObject({ code: 1 });
    await cli('settings', 'set', 'order=chronological');
  });

  it('process --webhook drains that webhook now, printing progress, and webhooks list shows the queue', async () => {
    const hook = await createWebhook(h, { url: receiver.url, events: ['contact.deleted'] });
    await postEvents(
      h,
      Array.from({ length: 10 }, (_, n) => ({ type: 'contact.deleted', payload: { n } })),
    );
    const listed = await cli('webhooks', 'list');
    expect(listed.stdout).toContain(hook.id);
    expect(listed.stdout).toMatch(/\b10\b/);

    const { stdout } = await cli('process', '--webhook', hook.id);
    expect(stdout).toContain(`webhook ${hook.id}: 10 queued`);
    expect(stdout).toContain('batch 3: 10 delivered, 0 failed of 10');
    expect(
      receiver.requests.map((r) => Object.values(JSON.parse(r.body) as Record<string, unknown[]>)[0]!.length),
    ).toEqual([4, 4, 2]);
  });
});
