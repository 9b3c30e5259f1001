import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { waitUntil } from '@hookline/testing';

export interface HooklineProcess {
  proc: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `apps/<app>/src/main.ts` as a real process (no npm in between, so signals hit it). */
export function startApp(app: 'ingest' | 'worker', env: Record<string, string>): HooklineProcess {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=hookline-src', `apps/${app}/src/main.ts`],
    {
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  return { proc, output: () => output, exited, kill: (signal) => proc.kill(signal) };
}

/** Starts ingest; unless `ready` is false, resolves once it serves the API (Postgres reached). */
export async function startIngest(
  env: Record<string, string>,
  port: number,
  options: { ready?: boolean } = {},
): Promise<HooklineProcess> {
  const p = startApp('ingest', { ...env, PORT: String(port), HOST: '127.0.0.1' });
  const line = options.ready === false ? '"ingest listening"' : '"ingest ready"';
  await waitUntil(
    () => {
      if (p.proc.exitCode !== null) throw new Error(`ingest exited:\n${p.output()}`);
      return p.output().includes(line);
    },
    30_000,
    50,
  );
  return p;
}

export async function startWorker(env: Record<string, string>): Promise<HooklineProcess> {
  const p = startApp('worker', env);
  await waitUntil(
    () => {
      if (p.proc.exitCode !== null) throw new Error(`worker exited:\n${p.output()}`);
      return p.output().includes('"worker started"');
    },
    30_000,
    50,
  );
  return p;
}
