import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startHarness, startReceiver, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook, postEvents } from '../support/fixtures.js';

const run = promisify(execFile);

/** npm pack, npm install and a node process: a hang guard for a busy machine, not a speed claim. */
const PACKAGING = 180_000;

describe('@hookline/verify as a published package', () => {
  let h: Harness;
  let receiver: Receiver;
  let dir: string;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    receiver = await startReceiver();
    dir = await mkdtemp(join(tmpdir(), 'hookline-verify-'));
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'npm pack gives compiled JavaScript, declarations and a README; installed in an empty project it verifies real deliveries of both schemes',
    async () => {
      const env = { ...process.env, NODE_OPTIONS: '' };
      await run('npm', ['pack', '--pack-destination', dir], { cwd: resolve('packages/verify'), env });
      const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'))!;
      const project = join(dir, 'consumer');
      await run('mkdir', ['-p', project]);
      await writeFile(
        join(project, 'package.json'),
        JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
      );
      await run('npm', ['install', join(dir, tarball), '--no-audit', '--no-fund', '--prefer-offline'], {
        cwd: project,
        env,
      });
      const installed = join(project, 'node_modules', '@hookline', 'verify');
      for (const file of ['README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/verify-request.d.ts']) {
        expect({ file, present: existsSync(join(installed, file)) }).toEqual({ file, present: true });
      }
      // Nothing but what a consumer needs: no TypeScript sources, no tests.
      expect(existsSync(join(installed, 'src'))).toBe(false);
      expect(existsSync(join(installed, 'test'))).toBe(false);

      // Real deliveries, one per scheme.
      const mautic = await createWebhook(h, { url: `${receiver.url}/mautic`, events: ['page.hit'] });
      const standard = await createWebhook(h, {
        url: `${receiver.url}/standard`,
        events: ['page.hit'],
        signature: 'standard',
      });
      await postEvents(h, [{ type: 'page.hit', payload: { url: 'https://example.com/pricing' } }]);
      const requests = await receiver.waitFor(2);
      const cases = [
        { scheme: 'mautic', secret: mautic.secret, path: '/mautic' },
        { scheme: 'standard', secret: standard.secret, path: '/standard' },
      ].map((c) => {
        const req = requests.find((r) => r.url.endsWith(c.path))!;
        return { scheme: c.scheme, secret: c.secret, headers: req.headers, body: req.raw.toString('base64') };
      });
      await writeFile(join(project, 'deliveries.json'), JSON.stringify(cases));
      await writeFile(
        join(project, 'check.mjs'),
        `import { readFileSync } from 'node:fs';
import { verifyDelivery } from '@hookline/verify';
for (const c of JSON.parse(readFileSync('deliveries.json', 'utf8'))) {
  const body = Buffer.from(c.body, 'base64');
  const real = verifyDelivery({ headers: c.headers, body }, { secret: c.secret, scheme: c.scheme });
  const tampered = verifyDelivery({ headers: c.headers, body: Buffer.concat([body, Buffer.from(' ')]) }, { secret: c.secret, scheme: c.scheme });
  console.log(c.scheme, real.ok, tampered.ok);
}
`,
      );
      const { stdout } = await run(process.execPath, ['check.mjs'], { cwd: project, env });
      expect(stdout).toBe('mautic true false\nstandard true false\n');
    },
    PACKAGING,
  );
});
