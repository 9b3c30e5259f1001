// `npm start`: ingest and worker side by side on the defaults (the single-machine setup).
// Both run as direct children (no npm or shell in between), so SIGTERM and SIGINT reach them:
// each finishes its in-flight work and exits 0, and so does this script. If one of them exits on
// its own, the other is stopped too and this script exits non-zero.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * The `start:<app>` script's node arguments: one command line to maintain, not two. The scripts
 * say `exec node …` so that npm's `sh -c` is replaced by node and signals reach the app.
 */
function nodeArgs(app) {
  const words = scripts[`start:${app}`].trim().split(/\s+/);
  if (words[0] === 'exec') words.shift();
  if (words[0] !== 'node') throw new Error(`start:${app} must run node directly`);
  return words.slice(1);
}

const children = ['ingest', 'worker'].map((app) => {
  const child = spawn(process.execPath, nodeArgs(app), { stdio: 'inherit' });
  child.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
  return child;
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

for (const child of children) {
  void child.exited.then(() => {
    if (!stopping) {
      console.error(`${child.spawnargs.at(-1)} exited on its own; stopping the other process`);
      stop('SIGTERM');
      process.exitCode = 1;
    }
  });
}
const codes = await Promise.all(children.map((c) => c.exited));
process.exit(process.exitCode ?? (codes.every((c) => c === 0) ? 0 : 1));
