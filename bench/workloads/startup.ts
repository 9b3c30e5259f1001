import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { benchEnvironment } from '../support/environment.js';
import { freePort } from '../support/processes.js';
import { QUICK } from '../support/stats.js';
import { median, round } from '../support/stats.js';

const exec = promisify(execFile);
const RUNS = QUICK ? 1 : 5;

const seconds = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
};

/**
 * Workload 8: start-up of the compiled build (`npm run build` first), as an operator meets it:
 * `npm run cli -- --help` wall time, and the time from spawning the compiled ingest to its
 * /readyz answering 200. Baseline: `node -e ''` (the floor of any Node process here).
 */
export async function benchStartup() {
  await exec('npm', ['run', '--silent', 'build']);
  const env = await benchEnvironment();
  try {
    const node: number[] = [];
    const help: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(await seconds(() => exec(process.execPath, ['-e', ''])));
      help.push(await seconds(() => exec('npm', ['run', '--silent', 'cli', '--', '--help'])));
      const port = await freePort();
      const proc = spawn(process.execPath, ['apps/ingest/dist/main.js'], {
        env: { ...process.env, ...env.env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1' },
        stdio: 'ignore',
      });
      ready.push(
        await seconds(async () => {
          for (;;) {
            const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
            if (res?.status === 200) return;
            await new Promise((r) => setTimeout(r, 20));
          }
        }),
      );
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }
    return {
      cliHelpSeconds: round(median(help), 2),
      ingestReadySeconds: round(median(ready), 2),
      bareNodeSeconds: round(median(node), 2),
      runs: { help, ready, node },
    };
  } finally {
    await env.dispose();
  }
}
