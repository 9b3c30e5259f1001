// `npm run build`: each entry point (ingest, worker, CLI, migrate) bundled by esbuild into
// JavaScript that plain `node` runs. Hookline's own packages are compiled in from their
// TypeScript sources; npm dependencies stay external and load from node_modules at run time.
// esbuild strips types without checking them: `npm run typecheck` (tsc) does that, in CI.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

/** Entry point → output folder. The CLI is split so `--help` loads only commander (see main.ts). */
const ENTRIES = [
  { entry: 'apps/ingest/src/main.ts', outdir: 'apps/ingest/dist' },
  { entry: 'apps/worker/src/main.ts', outdir: 'apps/worker/dist' },
  { entry: 'apps/cli/src/main.ts', outdir: 'apps/cli/dist', splitting: true },
  { entry: 'scripts/migrate.ts', outdir: 'scripts/dist' },
];

/** Everything but Hookline's own code is resolved at run time, as in development. */
const npmDependenciesExternal = {
  name: 'npm-dependencies-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@hookline/') ? undefined : { path: args.path, external: true },
    );
  },
};

const started = Date.now();
await Promise.all(ENTRIES.map(({ outdir }) => rm(outdir, { recursive: true, force: true })));
await Promise.all(
  ENTRIES.map(({ entry, outdir, splitting = false }) =>
    build({
      entryPoints: [entry],
      outdir,
      entryNames: '[name]',
      chunkNames: 'chunks/[name]-[hash]',
      splitting,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['hookline-src'],
      sourcemap: true,
      logLevel: 'warning',
      plugins: [npmDependenciesExternal],
    }),
  ),
);
console.log(`built ${ENTRIES.map((e) => `${e.outdir}/`).join(', ')} in ${Date.now() - started} ms`);
