import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

const run = promisify(execFile);

/**
 * Each CLI call starts a TypeScript process (several seconds on a busy 2-core machine), so tests
 * that make several get this much time before jest calls them hung: a hang guard, not a speed claim.
 */
const SPAWNING = 120_000;

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

  const cliWith = async (extraEnv: Record<string, string>, ...args: string[]) => {
    const env = {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: h.db.url,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      ...extraEnv,
    };
    return run('npm', ['run', '--silent', 'cli', '--', ...args], { env });
  };
  const cli = (...args: string[]) => cliWith({}, ...args);

  /** A refused command: its exit code and its stderr, which must be one line. */
  const refused = async (promise: Promise<unknown>) => {
    const err = (await promise.then(
      () => {
        throw new Error('the command succeeded');
      },
      (e: unknown) => e,
    )) as { code: number; stderr: string };
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    return { code: err.code, stderr: err.stderr.trim() };
  };

  it(
    'creates an API key that the API accepts, with its role',
    async () => {
      const { stdout } = await cli('keys', 'create', '--role', 'producer', '--name', 'crm');
      const created = JSON.parse(stdout) as { key: string; role: string };
      expect(created.role).toBe('producer');
      const posted = await h.api(
        'POST',
        '/v1/events',
        { type: 'page.hit', payload: {} },
        { key: created.key },
      );
      expect(posted.status).toBe(202);
      expect((await h.api('GET', '/v1/webhooks', undefined, { key: created.key })).status).toBe(403);
    },
    SPAWNING,
  );

  it(
    'imports a shipped catalogue, twice without change, and the running API takes its events',
    async () => {
      const first = await cli('event-types', 'import', 'catalogues/mitto.json');
      expect(first.stdout).toContain('4 created, 0 updated, 0 unchanged');
      const again = await cli('event-types', 'import', 'catalogues/mitto.json');
      expect(again.stdout).toContain('0 created, 0 updated, 4 unchanged');
      await waitUntil(async () => {
        const res = await h.api('POST', '/v1/events', {
          type: 'JOB_START',
          payload: { job: { id: 1, title: 'x' } },
        });
        return res.status === 202;
      });
      const archived = await cli('event-types', 'archive', 'JOB_START');
      expect(archived.stdout).toContain('archived JOB_START');
      const list = JSON.parse((await cli('event-types', 'list', '--json')).stdout) as {
        name: string;
        archived: boolean;
      }[];
      expect(list.find((t) => t.name === 'JOB_START')).toMatchObject({ archived: true });
      await expect(cli('event-types', 'create', 'bad name!')).rejects.toMatchObject({
        stderr: expect.stringContaining('name: use letters') as string,
      });
    },
    SPAWNING,
  );

  it(
    'gets and sets settings, refusing invalid values',
    async () => {
      const set = await cli('settings', 'set', 'batchLimit=4', 'order=reverse');
      expect(JSON.parse(set.stdout)).toMatchObject({ batchLimit: 4, order: 'reverse', queueMode: 'queue' });
      const got = await cli('settings', 'get');
      expect(JSON.parse(got.stdout)).toMatchObject({ batchLimit: 4, order: 'reverse' });
      await expect(cli('settings', 'set', 'batchLimit=0')).rejects.toMatchObject({ code: 1 });
      await cli('settings', 'set', 'order=chronological');
    },
    SPAWNING,
  );

  it(
    'process --webhook drains that webhook now, printing progress, and webhooks list shows the queue',
    async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['contact.deleted'] });
      await postEvents(
        h,
        Array.from({ length: 10 }, (_, n) => ({ type: 'contact.deleted', payload: { n } })),
      );
      const listed = await cli('webhooks', 'list');
      // A table (cli-table3), not console.table's "(index)" column and quoted strings.
      expect(listed.stdout).toMatch(
        new RegExp(`│ ${hook.id} │ test hook +│ true +│ .+ │ contact.deleted +│ 10 +│`),
      );
      expect(listed.stdout).not.toContain('(index)');
      const json = JSON.parse((await cli('webhooks', 'list', '--json')).stdout) as {
        id: string;
        queued: number;
        urls: string[];
      }[];
      expect(json.find((w) => w.id === hook.id)).toMatchObject({ queued: 10, urls: [receiver.url] });

      const { stdout } = await cli('process', '--webhook', hook.id);
      expect(stdout).toContain(`webhook ${hook.id}: 10 queued`);
      expect(stdout).toContain('batch 3: 10 delivered, 0 failed of 10');
      expect(
        receiver.requests.map(
          (r) => Object.values(JSON.parse(r.body) as Record<string, unknown[]>)[0]!.length,
        ),
      ).toEqual([4, 4, 2]);
    },
    SPAWNING,
  );

  it(
    'process --progress bar draws a progress bar that ends at the number drained',
    async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['company.deleted'] });
      await postEvents(
        h,
        Array.from({ length: 9 }, (_, n) => ({ type: 'company.deleted', payload: { n } })),
      );
      const { stdout } = await cli('process', '--webhook', hook.id, '--progress', 'bar');
      const lines = stdout.split('\n');
      expect(lines[0]).toBe(`webhook ${hook.id}: 9 queued`);
      const bars = lines.filter((l) => l.includes('events | batch'));
      expect(bars.at(-1)).toMatch(/^ {2}\[█+\] 100% \| 9\/9 events \| batch 3 \| 0 failed \| \d+s$/);
      expect(stdout).toContain(`webhook ${hook.id}: done (9 delivered, 0 failed)`);
    },
    SPAWNING,
  );

  it(
    'deliveries tail prints the latest deliveries',
    async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['sms.sent'] });
      await postEvents(h, [{ type: 'sms.sent', payload: {} }]);
      await cli('process', '--webhook', hook.id);
      await h.api('POST', `/v1/webhooks/${hook.id}/test`);
      const logs = await h.api<{ mode: string; deliveryId: string }[]>(
        'GET',
        `/v1/webhooks/${hook.id}/deliveries`,
      );

      const printed = await cli('deliveries', 'tail', '--webhook', hook.id, '--no-follow');
      const lines = printed.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/Z +queue +success +200 +\d+ms +attempt 1 +1 event +[0-9a-f-]{36} +ok$/);
      expect(lines[0]).toContain(logs.body[1]!.deliveryId);
      expect(lines[1]).toMatch(/Z +test +success +200 +\d+ms +attempt 1 +1 event +[0-9a-f-]{36} +ok$/);
      expect((await cli('deliveries', 'tail', '--webhook', hook.id, '--no-follow', '-n', '1')).stdout).toBe(
        `${lines[1]}\n`,
      );
    },
    SPAWNING,
  );

  it(
    'deliveries tail follows new deliveries until interrupted (Ctrl-C exits 0)',
    async () => {
      const hook = await createWebhook(h, { url: receiver.url, events: ['sms.sent'] });
      // Follow: a delivery logged while it runs is printed; Ctrl-C (SIGINT) ends it cleanly.
      const child = spawn(
        process.execPath,
        ['apps/cli/dist/main.js', 'deliveries', 'tail'].concat([
          '--webhook',
          hook.id,
          '-n',
          '0',
          '--interval',
          '200',
        ]),
        { env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: h.db.url } },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await waitUntil(() => (err.includes('following deliveries') ? true : undefined), 60_000);
      await h.api('POST', `/v1/webhooks/${hook.id}/test`);
      await waitUntil(() => (out.includes('  test ') ? true : undefined), 30_000);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out.trim().split('\n')).toHaveLength(1);
    },
    SPAWNING,
  );

  it(
    'refuses a malformed webhook id in one line, exit 1',
    async () => {
      expect(await refused(cli('deliveries', 'tail', '--webhook', 'nope', '--no-follow'))).toEqual({
        code: 1,
        stderr: 'error: not a webhook id: "nope" (ids are UUIDs; see webhooks list)',
      });
    },
    SPAWNING,
  );

  it(
    'process --webhook: a malformed id and an unknown one fail clearly, exit 1',
    async () => {
      expect(await refused(cli('process', '--webhook', 'nope'))).toEqual({
        code: 1,
        stderr: 'error: not a webhook id: "nope" (ids are UUIDs; see webhooks list)',
      });
    },
    SPAWNING,
  );

  it(
    'process --webhook with a well-formed unknown id says so, exit 1',
    async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      expect(await refused(cli('process', '--webhook', id))).toEqual({
        code: 1,
        stderr: `error: no webhook ${id}`,
      });
    },
    SPAWNING,
  );

  it(
    'process exits 2 when batches fail or stay blocked, naming the webhook',
    async () => {
      const down = await startReceiver(() => ({ status: 503 }));
      try {
        const hook = await createWebhook(h, { url: down.url, events: ['email.opened'] });
        await postEvents(h, [{ type: 'email.opened', payload: {} }]);
        const { code, stderr } = await refused(cli('process', '--webhook', hook.id));
        expect(code).toBe(2);
        expect(stderr).toBe(`error: not delivered: ${hook.id} had 1 failed batch(es)`);
        // Its batch now waits for its retry: a second run reports it blocked.
        const again = await refused(cli('process', '--webhook', hook.id));
        expect(again).toEqual({
          code: 2,
          stderr: `error: not delivered: ${hook.id} is blocked: its next batch waits for a retry or is being sent`,
        });
      } finally {
        await down.close();
      }
    },
    SPAWNING,
  );

  it(
    'webhooks recover resends the failed deliveries since a time, with progress',
    async () => {
      let up = false;
      const flaky = await startReceiver(() => ({ status: up ? 200 : 503 }));
      try {
        const hook = await createWebhook(h, { url: flaky.url, events: ['email.sent'] });
        await postEvents(h, [{ type: 'email.sent', payload: { n: 1 } }]);
        // One attempt only: the batch fails for good.
        const failed = await refused(
          cliWith({ HOOKLINE_RETRY_ATTEMPTS: '1' }, 'process', '--webhook', hook.id),
        );
        expect(failed.code).toBe(2);
        up = true;
        const { stdout } = await cli('webhooks', 'recover', hook.id, '--since', '1h', '--progress', 'lines');
        expect(stdout).toMatch(new RegExp(`webhook ${hook.id}: 1 failed deliveries since \\S+Z to resend`));
        expect(stdout).toContain(`webhook ${hook.id}: done (1 delivered, 0 failed)`);
        expect(flaky.requests).toHaveLength(2);
        expect(flaky.requests[1]!.body).toBe(flaky.requests[0]!.body);
        expect((await refused(cli('webhooks', 'recover', hook.id, '--since', 'soon'))).stderr).toContain(
          'use a duration such as 30m, 2h or 7d, or an ISO 8601 time',
        );
      } finally {
        await flaky.close();
      }
    },
    SPAWNING,
  );

  it(
    'an unreachable database is one line naming where it looked, exit 1',
    async () => {
      const { code, stderr } = await refused(
        cliWith({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/hookline' }, 'settings', 'get'),
      );
      expect(code).toBe(1);
      expect(stderr).toBe(
        'error: cannot reach Postgres at 127.0.0.1:1 (ECONNREFUSED); is it running, and is DATABASE_URL right?',
      );
    },
    SPAWNING,
  );

  it(
    'refuses a negative line count',
    async () => {
      await expect(cli('deliveries', 'tail', '--webhook', 'x', '-n', '-3')).rejects.toMatchObject({
        stderr: expect.stringContaining('--lines must be a whole number'),
      });
    },
    SPAWNING,
  );

  it(
    'orgs, apps and members commands; --app on the webhook commands names the application',
    async () => {
      const org = JSON.parse((await cli('orgs', 'create', '--name', 'Acme', '--id', 'acme')).stdout) as {
        id: string;
      };
      expect(org.id).toBe('acme');
      expect((await cli('orgs', 'list')).stdout).toMatch(/│ acme +│ Acme +│/);
      await cli('apps', 'create', '--org', 'acme', '--name', 'Shop', '--id', 'shop');
      const apps = JSON.parse((await cli('apps', 'list', '--org', 'acme', '--json')).stdout) as {
        id: string;
      }[];
      expect(apps.map((a) => a.id)).toEqual(['shop']);
      expect(
        (await refused(cli('apps', 'create', '--org', 'acme', '--name', 'x', '--id', 'Bad Id'))).stderr,
      ).toMatch(/^error: id: ids are 1 to 63 lowercase letters/);

      const added = JSON.parse(
        (
          await cli(
            'members',
            'add',
            '--org',
            'acme',
            '--name',
            'Ada',
            '--org-role',
            'member',
            '--app',
            'shop=owner',
          )
        ).stdout,
      ) as { key: string; appRoles: Record<string, string> };
      expect(added.appRoles).toEqual({ shop: 'owner' });
      // The key printed once works on the API, with the roles given.
      const me = await h.api<{ kind: string; apps: { id: string; role: string }[] }>(
        'GET',
        '/v1/me',
        undefined,
        {
          key: added.key,
        },
      );
      expect(me.body).toMatchObject({ kind: 'member', apps: [{ id: 'shop', role: 'owner' }] });
      expect((await cli('members', 'list', '--org', 'acme')).stdout).toMatch(
        /│ Ada +│ member +│ shop=owner +│/,
      );

      const hook = await createWebhook(h, { url: receiver.url, events: ['sms.sent'] }, 'shop');
      await postEvents(h, [{ type: 'sms.sent', payload: { n: 1 } }], 'shop');
      const listed = JSON.parse((await cli('webhooks', 'list', '--app', 'shop', '--json')).stdout) as {
        id: string;
        queued: number;
      }[];
      expect(listed).toEqual([expect.objectContaining({ id: hook.id, queued: 1 })]);
      // Without --app the command names application default, which has no such webhook.
      expect(await refused(cli('process', '--webhook', hook.id))).toEqual({
        code: 1,
        stderr: `error: no webhook ${hook.id}`,
      });
      expect((await cli('process', '--webhook', hook.id, '--app', 'shop')).stdout).toContain('1 delivered');
    },
    SPAWNING,
  );

  it(
    'portal link prints a link whose token works for the time and access asked',
    async () => {
      const before = Date.now();
      const { stdout, stderr } = await cli(
        'portal',
        'link',
        '--app',
        'default',
        '--expires',
        '2h',
        '--read-only',
      );
      const url = stdout.trim();
      expect(url).toMatch(/^http:\/\/localhost:3000\/portal\/#token=hkp_[A-Za-z0-9_-]+$/);
      expect(stderr).toMatch(/^expires \S+, read-only/);
      const token = url.split('#token=')[1]!;
      const me = await h.api<{ kind: string; portal: { readOnly: boolean; expiresAt: string } }>(
        'GET',
        '/v1/me',
        undefined,
        { key: token },
      );
      expect(me.body.kind).toBe('portal');
      expect(me.body.portal.readOnly).toBe(true);
      const lifetime = Date.parse(me.body.portal.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(7_100_000);
      expect(lifetime).toBeLessThanOrEqual(7_200_000 + (Date.now() - before));
      expect(
        (
          await h.api(
            'POST',
            '/v1/webhooks',
            { name: 'x', url: receiver.url, events: ['page.hit'] },
            { key: token },
          )
        ).status,
      ).toBe(403);
      expect((await refused(cli('portal', 'link', '--app', 'default', '--expires', 'soon'))).stderr).toMatch(
        /duration such as 30m/,
      );
      expect((await refused(cli('portal', 'link', '--app', 'default', '--expires', '8d'))).stderr).toMatch(
        /expiresInSeconds/,
      );
    },
    SPAWNING,
  );

  // One process per test, so each start-up of a TypeScript CLI has the whole test timeout even
  // when the machine is busy (six in one test timed out on a loaded 2-core machine).
  it.each([
    [['process'], /--webhook <id>[\s\S]*--progress <style>/],
    [['settings', 'get'], /print the settings as JSON/],
    [['settings', 'set'], /key=value/],
    [['keys', 'create'], /--role <role>[\s\S]*--name <name>/],
    [['webhooks', 'list'], /queue depth/],
    [['deliveries', 'tail'], /--webhook <id>[\s\S]*--no-follow/],
    [['members', 'add'], /--org-role <role>[\s\S]*--app <id>=<role>/],
  ])(
    '%j --help describes its options',
    async (command, expected) => {
      expect((await cli(...command, '--help')).stdout).toMatch(expected);
    },
    SPAWNING,
  );
});
