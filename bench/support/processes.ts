import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
export { freePort } from '@hookline/testing';

export interface Proc {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point with tsx; resolves once `ready` appears in its output. */
export async function run(
  entry: string,
  args: string[],
  env: Record<string, string>,
  ready: string,
  nodeFlags: string[] = [],
): Promise<Proc> {
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each process (for finding hot spots).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const proc = spawn(
    process.execPath,
    [...profile, ...nodeFlags, '--import', 'tsx', '--conditions=hookline-src', entry, ...args],
    {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const seen = new Promise<void>((resolve, reject) => {
    const check = (d: Buffer) => {
      output += d.toString();
      if (output.includes(ready)) resolve();
    };
    proc.stdout!.on('data', check);
    proc.stderr!.on('data', check);
    proc.on('exit', (code) => reject(new Error(`${entry} exited ${code}: ${output.slice(-2000)}`)));
  });
  await seen;
  return {
    proc,
    output: () => output,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    },
  };
}

/** Runs to completion and returns stdout. */
export async function runToEnd(
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=hookline-src', entry, ...args], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(proc, 'exit')) as [number];
  if (code !== 0) throw new Error(`${entry} exited ${code}`);
  return out;
}

// The same V8 heap cap as `npm run start:ingest` / `start:worker` (package.json).
const HEAP = '--max-old-space-size=192';

export const startIngest = (env: Record<string, string>, port: number) =>
  run(
    'apps/ingest/src/main.ts',
    [],
    { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    'ingest ready',
    [HEAP],
  );

export const startWorker = (env: Record<string, string>) =>
  run('apps/worker/src/main.ts', [], { ...env, LOG_LEVEL: 'info' }, 'worker started', [HEAP]);
