// `npm run bench [-- <workload>…] [--quick]`: every figure beside a baseline
// measured in the same run, medians of several runs, written to bench/results/latest.json and
// docs/BENCHMARKS.md. Load targets 127.0.0.1 only, and every loop is bounded.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import {
  benchDrain,
  benchMemory,
  benchNoisyNeighbours,
  benchScaleOut,
  benchSingleWebhook,
  benchSlowReceivers,
} from './workloads/drain.js';
import { benchQuietBesideBusy } from './workloads/fairness.js';
import { benchGrowth } from './workloads/growth.js';
import { benchIngest, benchSchema } from './workloads/ingest.js';
import { benchImmediateThroughput, benchLatency } from './workloads/latency.js';
import { benchRetention } from './workloads/retention.js';
import { benchMillionWebhooks } from './workloads/scale.js';
import { benchStartup } from './workloads/startup.js';
import { benchSmallBesideBig, benchTenants } from './workloads/tenants.js';
import { renderReport } from './report.js';
import { QUICK } from './support/stats.js';

// Each workload by the name that picks it on the command line, in the order a full run takes them.
const workloads = {
  ingest: benchIngest,
  drain: benchDrain,
  latency: () => benchLatency(500),
  latencyHalf: () => benchLatency(250),
  memory: benchMemory,
  scaleout: benchScaleOut,
  retention: benchRetention,
  schema: benchSchema,
  startup: benchStartup,
  slow: benchSlowReceivers,
  single: benchSingleWebhook,
  noisy: benchNoisyNeighbours,
  growth: benchGrowth,
  immediate: benchImmediateThroughput,
  quiet: benchQuietBesideBusy,
  million: benchMillionWebhooks,
  tenants: benchTenants,
  smallBig: benchSmallBesideBig,
} satisfies Record<string, () => Promise<unknown>>;
type Name = keyof typeof workloads;
const all = Object.keys(workloads) as Name[];

// `npm run bench -- --report` rewrites docs/BENCHMARKS.md from bench/results/latest.json.
if (process.argv.includes('--report')) {
  writeFileSync(
    'docs/BENCHMARKS.md',
    renderReport(JSON.parse(readFileSync('bench/results/latest.json', 'utf8'))),
  );
  process.exit(0);
}
const chosen = process.argv.slice(2).filter((a): a is Name => (all as string[]).includes(a));
const run = chosen.length ? chosen : all;

const started = Date.now();
const results: Record<string, unknown> = {
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  startedAt: new Date(started).toISOString(),
  quick: QUICK,
};
for (const name of run) {
  const t = Date.now();
  console.log(`[bench] ${name}…`);
  results[name] = await workloads[name]();
  console.log(`[bench] ${name} (${Math.round((Date.now() - t) / 1000)} s): ${JSON.stringify(results[name])}`);
}
results.totalSeconds = Math.round((Date.now() - started) / 1000);

mkdirSync('bench/results', { recursive: true });
if (run.length === all.length && !QUICK) {
  writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2));
  writeFileSync('docs/BENCHMARKS.md', renderReport(results));
} else {
  // A partial or quick run (development) leaves the full run's record alone and writes its own.
  writeFileSync('bench/results/partial.json', JSON.stringify(results, null, 2));
}
console.log(renderReport(results));
