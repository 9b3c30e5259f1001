import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

// One migrated template per run; every test file clones it (graphile-worker's approach), so files
// are isolated and none pays for migrations. Test workers inherit the env set here.
// The template is made in a tsx child: jest loads this hook without workspace export conditions.
export default function globalSetup(): void {
  // Tests that run `npm start` or `npm run cli` exercise the compiled build: build it from the
  // sources under test first (esbuild, well under a second).
  execFileSync(process.execPath, ['scripts/build.js'], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.env.HOOKLINE_TEST_RUN = runId;
  execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=hookline-src', 'scripts/test-template.ts', 'create', runId],
    { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } },
  );
}
