import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitUntil } from '@hookline/testing';

export { freePort };

/** A Redis of the suite's own, so it can be flushed, killed and restarted without harming others. */
export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitUntil(
      () => {
        try {
          return execFileSync('redis-cli', ['-p', String(port), 'ping'])
            .toString()
            .includes('PONG');
        } catch {
          return false;
        }
      },
      10_000,
      50,
    );
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      if (!proc || proc.exitCode !== null) return;
      proc.kill('SIGKILL');
      await once(proc, 'exit');
    },
  };
}

function pgBin(name: string): string {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b))
    : [];
  for (const v of versions.reverse()) {
    const path = `/usr/lib/postgresql/${v}/bin/${name}`;
    if (existsSync(path)) return path;
  }
  return name;
}

/** Runs a Postgres binary as the postgres user when we are root (Postgres refuses to run as root). */
function asPostgres(bin: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  if (root)
    execFileSync(
      'su',
      [
        'postgres',
        '-s',
        '/bin/sh',
        '-c',
        [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '),
      ],
      { stdio: 'pipe' },
    );
  else execFileSync(bin, args, { stdio: 'pipe' });
}

/** A Postgres cluster of the suite's own, in a temporary directory, so it can be stopped mid-run. */
export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hookline-faults-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  asPostgres(pgBin('initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (action: 'start' | 'stop') =>
    asPostgres(pgBin('pg_ctl'), [
      '-D',
      join(dir, 'data'),
      '-l',
      join(dir, 'log'),
      '-w',
      ...(action === 'start'
        ? ['-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`, 'start']
        : ['-m', 'fast', 'stop']),
    ]);
  ctl('start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/hookline`,
    start: () => ctl('start'),
    stop: () => ctl('stop'),
    destroy() {
      try {
        ctl('stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
