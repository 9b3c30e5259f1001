import { execFileSync } from 'node:child_process';

export default function globalTeardown(): void {
  const runId = process.env.HOOKLINE_TEST_RUN;
  if (!runId) return;
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=hookline-src', 'scripts/test-template.ts', 'drop', runId],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
}
