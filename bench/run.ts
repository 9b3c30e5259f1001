// `npm run bench [-- ingest drain latency memory scaleout retention schema startup slow]`: every figure beside a baseline
// measured in the same run, medians of several runs, written to bench/results/latest.json and
// docs/BENCHMARKS.md. Load targets 127.0.0.1 only, and every loop is bounded.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchDrain, benchMemory, benchScaleOut, benchSlowReceivers } from './workloads/drain.js';
import { benchIngest, benchSchema } from './workloads/ingest.js';
import { benchLatency } from './workloads/latency.js';
import { benchRetention } from './workloads/retention.js';
import { benchStartup } from './workloads/startup.js';
import { renderReport } from './report.js';

const all = [
  'ingest',
  'drain',
  'latency',
  'latencyHalf',
  'memory',
  'scaleout',
  'retention',
  'schema',
  'startup',
  'slow',
] as const;

// `npm run bench -- --report` rewrites docs/BENCHMARKS.md from bench/results/latest.json.
if (process.argv.includes('--report')) {
  writeFileSync(
    'docs/BENCHMARKS.md',
    renderReport(JSON.parse(readFileSync('bench/results/latest.json', 'utf8'))),
  );
  process.exit(0);
}
const chosen = process.argv
  .slice(2)
  .filter((a): a is (typeof all)[number] => (all as readonly string[]).includes(a));
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
};
for (const name of run) {
  const t = Date.now();
  console.log(`[bench] ${name}…`);
  results[name] =
    name === 'ingest'
      ? await benchIngest()
      : name === 'drain'
        ? await benchDrain()
        : name === 'latency'
          ? await benchLatency(500)
          : name === 'latencyHalf'
            ? await benchLatency(250)
            : name === 'memory'
              ? await benchMemory()
              : name === 'retention'
                ? await benchRetention()
                : name === 'schema'
                  ? await benchSchema()
                  : name === 'startup'
                    ? await benchStartup()
                    : name === 'slow'
                      ? await benchSlowReceivers()
                      : await benchScaleOut();
  console.log(`[bench] ${name} (${Math.round((Date.now() - t) / 1000)} s): ${JSON.stringify(results[name])}`);
}
results.totalSeconds = Math.round((Date.now() - started) / 1000);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2));
const report = renderReport(results);
if (run.length === all.length) writeFileSync('docs/BENCHMARKS.md', report);
console.log(report);
