type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const yes = (ok: boolean) => (ok ? '**met**' : 'not met');

/** `74% (worker(s) 0.61 cores, postgres 0.70, …)` from a CpuUse (bench/support/cpu.ts). */
function cpuLine(cpu: Any | undefined): string {
  if (!cpu) return 'not measured';
  const parts = Object.entries(cpu.cores as Record<string, number>).map(
    ([name, cores]) => `${name} ${cores}`,
  );
  return `${Math.round(cpu.machineBusy * 100)}% (cores: ${parts.join(', ')})`;
}

/** docs/BENCHMARKS.md from a results object: each figure, its baseline, the ratio, the target. */
export function renderReport(r: Any): string {
  const rows: string[][] = [];
  const i = r.ingest as Any | undefined;
  if (i) {
    rows.push([
      '1. ingest, single-event POSTs, 50 connections, queue mode, 3 webhooks',
      `${i.singleEventsPerSecond} events/s (durable); CPU ${cpuLine(i.cpu)}`,
      `bare Express 5 JSON endpoint: ${i.bareExpressRequestsPerSecond} req/s`,
      `${i.ratio}×`,
      `≥ 0.7× (issue 14; 0.5× before): ${yes(i.ratio >= 0.7)}`,
    ]);
    rows.push([
      '1. batch ingest, `{"events":[1000]}`, 4 connections',
      `${i.batchEventsPerSecond} events/s; CPU ${cpuLine(i.batchCpu)}`,
      '—',
      '—',
      `≥ 50,000/s: ${yes(i.batchEventsPerSecond >= 50_000)}`,
    ]);
  }
  const d = r.drain as Any | undefined;
  if (d) {
    rows.push([
      '2. queue drain, 100k events, 10 webhooks, batchLimit 100',
      `${d.eventsPerSecond} events/s`,
      `naive job-per-event BullMQ + got (${d.naiveEventsPerRun} events): ${d.naiveEventsPerSecond} events/s`,
      `${d.ratio}×`,
      `≥ 30,000/s: ${yes(d.eventsPerSecond >= 30_000)}; ≥ 20×: ${yes(d.ratio >= 20)}`,
    ]);
  }
  const l = r.latency as Any | undefined;
  if (l) {
    rows.push([
      `3. immediate-mode latency at ${l.rate} events/s`,
      `p50 ${l.p50From202Ms} ms, p99 ${l.p99From202Ms} ms from the 202${l.runs ? ` (p99 of each run: ${l.runs.join(', ')} ms)` : ''} (from the send: p50 ${l.p50FromSendMs}, p99 ${l.p99FromSendMs})${l.failedRequests ? `; ${l.failedRequests} of ${l.events} requests failed (overloaded)` : ''}`,
      `direct POST to the receiver: p50 ${l.directP50Ms} ms, p99 ${l.directP99Ms} ms`,
      `${l.ratioP99}× (p99, from the send)`,
      `p99 ≤ 25 ms in every run: ${yes((l.worstP99From202Ms ?? l.p99From202Ms) <= 25 && !l.failedRequests)}`,
    ]);
  }
  const im = r.immediate as Any | undefined;
  if (im) {
    rows.push([
      '3c. immediate-mode throughput, single-event POSTs, 50 connections, one ingest process, 1 webhook',
      `${im.deliveredEventsPerSecond} delivered events/s (runs ${im.runs.join(', ')}); ingest CPU ${cpuLine(im.cpu)}`,
      '—',
      '—',
      `≥ 1,500/s: ${yes(im.deliveredEventsPerSecond >= 1500)}`,
    ]);
  }
  const lh = r.latencyHalf as Any | undefined;
  if (lh) {
    rows.push([
      `3b. (for context) the same at ${lh.rate} events/s`,
      `p50 ${lh.p50From202Ms} ms, p99 ${lh.p99From202Ms} ms from the 202 (from the send: p50 ${lh.p50FromSendMs}, p99 ${lh.p99FromSendMs})`,
      `direct: p50 ${lh.directP50Ms} ms, p99 ${lh.directP99Ms} ms`,
      `${lh.ratioP99}×`,
      'no target',
    ]);
  }
  const m = r.memory as Any | undefined;
  if (m) {
    rows.push([
      '4. worker RSS draining a 1,000,000-event backlog',
      `peak ${m.workerPeakRssMb} MB (drained at ${m.eventsPerSecond} events/s)`,
      `the same worker at start: ${m.workerStartRssMb} MB`,
      `${m.ratio}×`,
      `≤ 256 MB: ${yes(m.workerPeakRssMb <= 256)}`,
    ]);
  }
  if (i)
    rows.push([
      '4. ingest RSS under workload 1',
      `peak ${i.ingestPeakRssMb} MB`,
      '—',
      '—',
      `≤ 256 MB: ${yes(i.ingestPeakRssMb <= 256)}`,
    ]);
  const s = r.scaleout as Any | undefined;
  if (s) {
    rows.push([
      '5. scale-out on workload 2',
      `2 workers: ${s.twoWorkersEventsPerSecond} events/s; duplicates ${s.duplicates}, order breaks ${s.outOfOrder}`,
      `1 worker: ${s.oneWorkerEventsPerSecond} events/s`,
      `${s.ratio}×`,
      `≥ 1× with no double delivery, order kept: ${yes(s.ratio >= 1 && s.duplicates === 0 && s.outOfOrder === 0)}`,
    ]);
  }
  const sc = r.schema as Any | undefined;
  if (sc) {
    rows.push([
      `7. single-event ingest of a type with a ${sc.fields}-field JSON Schema (ajv, compiled once)`,
      `${sc.withSchemaEventsPerSecond} events/s`,
      `same payload, type without a schema: ${sc.withoutSchemaEventsPerSecond} events/s`,
      `${sc.ratio}×`,
      `≥ 0.9× (validation costs ≤ 10%): ${yes(sc.ratio >= 0.9)}`,
    ]);
  }
  const sl = r.slow as Any | undefined;
  if (sl) {
    const curve = Object.entries(sl.oneWorkerByConcurrency ?? {})
      .map(([c, rate]) => `${c}: ${rate}`)
      .join(', ');
    rows.push([
      `9. slow receivers: ${sl.events.toLocaleString('en')} queued events, ${sl.webhooks} webhooks, receivers ~50 ms (1% at 2 s), batchLimit 100`,
      `2 workers: ${sl.twoWorkersEventsPerSecond} events/s; duplicates ${sl.duplicates}, order breaks ${sl.outOfOrder}; machine CPU busy ${cpuLine(sl.cpu?.twoWorkers)}`,
      `1 worker: ${sl.oneWorkerEventsPerSecond} events/s; machine CPU busy ${cpuLine(sl.cpu?.oneWorker)}${curve ? `; 1 worker by WORKER_CONCURRENCY: ${curve}` : ''}`,
      `${sl.ratio}×`,
      `≥ 1.6×: ${yes(sl.ratio >= 1.6)}`,
    ]);
  }
  const no = r.noisy as Any | undefined;
  if (no) {
    rows.push([
      `11. noisy neighbours: workload 9 with 10% of webhooks hanging until the timeout (5 s) or answering 500 (WORKER_CONCURRENCY ${no.concurrency})`,
      `healthy webhooks: ${no.healthyEventsPerSecond} events/s; worst healthy webhook's p99 delay ${no.worstP99DelayMs} ms (median webhook ${no.medianP99DelayMs} ms)`,
      `all healthy: ${no.allHealthyEventsPerSecond} events/s; worst p99 delay ${no.allHealthyWorstP99DelayMs} ms (median ${no.allHealthyMedianP99DelayMs} ms)`,
      `${no.ratio}× (rate), ${no.delayRatio}× (worst p99 delay)`,
      `rate ≥ 0.9×: ${yes(no.ratio >= 0.9)}; delay ≤ 2×: ${yes(no.delayRatio <= 2)}`,
    ]);
  }
  const sw = r.single as Any | undefined;
  if (sw) {
    rows.push([
      `10. single-webhook drain, ${sw.events.toLocaleString('en')} events, instant receiver, batchLimit 100`,
      `${sw.eventsPerSecond} events/s (runs ${sw.runs.join(', ')}); duplicates ${sw.duplicates}, order breaks ${sw.outOfOrder}`,
      '—',
      '—',
      `≥ 15,000/s: ${yes(sw.eventsPerSecond >= 15_000)}`,
    ]);
  }
  const gr = r.growth as Any | undefined;
  if (gr) {
    rows.push([
      `12. growth: drain with ${gr.backlog.toLocaleString('en')} events queued (10 webhooks; median of 3 windows of ${gr.smallBacklog.toLocaleString('en')}: ${gr.runs?.bigWindows?.join(', ') ?? '—'})`,
      `${gr.drainEventsPerSecond} events/s`,
      `a ${gr.smallBacklog.toLocaleString('en')}-event backlog: ${gr.smallDrainEventsPerSecond} events/s (runs ${gr.runs?.small?.join(', ') ?? '—'})`,
      `${gr.drainRatio}×`,
      `≥ 0.8×: ${yes(gr.drainRatio >= 0.8)}`,
    ]);
    rows.push([
      `12. growth: single-event ingest with ${gr.storedEvents.toLocaleString('en')} events stored (10 webhooks, warmed up, median of 3)`,
      `${gr.ingestEventsPerSecond} events/s`,
      `empty database: ${gr.emptyIngestEventsPerSecond} events/s`,
      `${gr.ingestRatio}×`,
      `≥ 0.8×: ${yes(gr.ingestRatio >= 0.8)}`,
    ]);
  }
  const st = r.startup as Any | undefined;
  if (st) {
    rows.push([
      '8. start-up of the compiled build: `npm run cli -- --help`; ingest spawn to /readyz 200',
      `CLI --help ${st.cliHelpSeconds} s; ingest ready in ${st.ingestReadySeconds} s`,
      `bare \`node -e ''\`: ${st.bareNodeSeconds} s`,
      '—',
      `help < 0.6 s: ${yes(st.cliHelpSeconds < 0.6)}; ready < 2 s: ${yes(st.ingestReadySeconds < 2)}`,
    ]);
  }
  const rt = r.retention as Any | undefined;
  if (rt) {
    rows.push([
      `6. ingest during a retention prune of ${rt.pruned.events + rt.pruned.batches + rt.pruned.deliveryLogs} old rows (${rt.rate} req/s × 10 events)`,
      `p99 ${rt.p99DuringPruneMs} ms while pruning (prune took ${rt.pruned.seconds} s, covering ${Math.round(rt.pruneCoveredLoad * 100)}% of the load)${rt.failedRequests ? `; ${rt.failedRequests} requests failed` : ''}`,
      `the same load just before and after: p99 ${rt.p99BeforeMs} / ${rt.p99AfterMs} ms`,
      `${rt.ratioP99}× (p99)`,
      `p99 does not move (≤ 1.5×, noise allowed): ${yes(rt.ratioP99 <= 1.5 && !rt.failedRequests)}`,
    ]);
  }
  const q = r.quiet as Any | undefined;
  if (q) {
    rows.push([
      `13. quiet beside busy: ${q.busyWebhooks} webhooks hold ${q.backlog.toLocaleString('en')} queued events (receivers 20 ms, batchLimit 1, cron 1 s); one more gets ${q.quietEvents} events, one every 100 ms`,
      `quiet webhook's delay from the 202: p90 ${q.besideP90Ms} ms, p99 ${q.besideP99Ms} ms; busy webhooks ${q.busyEventsPerSecond} events/s; duplicates ${q.duplicates}, order breaks ${q.outOfOrder}`,
      `the quiet webhook alone: p90 ${q.aloneP90Ms} ms, p99 ${q.aloneP99Ms} ms; the backlog drained without it: ${q.busyAloneEventsPerSecond} events/s`,
      `${q.p90Ratio}× (p90), ${q.p99Ratio}× (p99), ${q.busyRatio}× (busy rate)`,
      `delay ≤ 1.5×: ${yes(q.p90Ratio <= 1.5 && q.p99Ratio <= 1.5)}; busy ≥ 0.9×: ${yes(q.busyRatio >= 0.9)}`,
    ]);
  }
  const mw = r.million as Any | undefined;
  if (mw) {
    rows.push([
      `14. ${mw.registered.big.toLocaleString('en')} webhooks registered, ${mw.withWork.toLocaleString('en')} with work (${mw.events.toLocaleString('en')} queued events)`,
      `drain ${mw.drainEventsPerSecond.big} events/s, single-event ingest ${mw.ingestEventsPerSecond.big} events/s; tick ${mw.tickMs.big} ms, sweep ${mw.sweepMs.big} ms, gauges ${mw.gaugesMs.big} ms, queue snapshot ${mw.snapshotMs.big} ms and ${mw.snapshotRowsPerMinute.big} rows a minute; RSS worker ${mw.workerPeakRssMb.big} MB, ingest ${mw.ingestPeakRssMb.big} MB`,
      `${mw.registered.small.toLocaleString('en')} registered: drain ${mw.drainEventsPerSecond.small}, ingest ${mw.ingestEventsPerSecond.small} events/s; tick ${mw.tickMs.small} ms, sweep ${mw.sweepMs.small} ms, gauges ${mw.gaugesMs.small} ms, snapshot ${mw.snapshotMs.small} ms and ${mw.snapshotRowsPerMinute.small} rows`,
      `${mw.drainRatio}× (drain), ${mw.ingestRatio}× (ingest)`,
      `≥ 0.8× each: ${yes(mw.drainRatio >= 0.8 && mw.ingestRatio >= 0.8)}; RSS ≤ 256 MB: ${yes(Math.max(mw.workerPeakRssMb.big, mw.ingestPeakRssMb.big) <= 256)}`,
    ]);
  }
  const tn = r.tenants as Any | undefined;
  if (tn) {
    rows.push([
      `15. ${tn.apps.toLocaleString('en')} applications × ${tn.webhooksPerApp} webhooks: single-event ingest (each request to the next application; both installations loaded in alternating one-second slices), and a drain of ${tn.drainEvents.toLocaleString('en')} queued events over their ${(tn.apps * tn.webhooksPerApp).toLocaleString('en')} webhooks`,
      `ingest ${tn.ingestManyRps} events/s, drain ${tn.drainManyEventsPerSecond} events/s; ${tn.ingestedThenDelivered.toLocaleString('en')} ingested events delivered after the load; cross-application deliveries ${tn.crossDeliveries}, duplicates ${tn.duplicates}, order breaks ${tn.outOfOrder}`,
      `one application: ingest ${tn.ingestOneRps} events/s (10 webhooks), drain ${tn.drainOneEventsPerSecond} events/s (the same 10,000 webhooks in one application)`,
      `${tn.ingestRatio}× (ingest), ${tn.drainRatio}× (drain)`,
      `≥ 0.9× each: ${yes(tn.ingestRatio >= 0.9 && tn.drainRatio >= 0.9)}; 0 cross deliveries: ${yes(tn.crossDeliveries === 0)}`,
    ]);
  }
  const sb = r.smallBig as Any | undefined;
  if (sb) {
    rows.push([
      `16. application small (1 webhook, ${sb.quietEvents} events one every 100 ms) beside application big (${sb.backlog.toLocaleString('en')} queued events over ${sb.busyWebhooks.toLocaleString('en')} webhooks, a tenth of whose receivers fail or hang)`,
      `small's delay from the 202: p90 ${sb.besideP90Ms} ms, p99 ${sb.besideP99Ms} ms; big ${sb.busyEventsPerSecond} events/s; duplicates ${sb.duplicates}, order breaks ${sb.outOfOrder}`,
      `small alone: p90 ${sb.aloneP90Ms} ms, p99 ${sb.aloneP99Ms} ms; big alone: ${sb.busyAloneEventsPerSecond} events/s`,
      `${sb.p99Ratio}× (p99), ${sb.busyRatio}× (big's rate)`,
      `p99 ≤ 1.5×: ${yes(sb.p99Ratio <= 1.5)}; big ≥ 0.9×: ${yes(sb.busyRatio >= 0.9)}`,
    ]);
  }
  const table = [
    '| workload | Hookline | baseline (same run) | ratio | target |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts) on ${r.machine.cpus} cores (${r.machine.model}), ${r.machine.memoryGb} GB,
Node ${r.machine.node}, against the local Postgres and Redis and a local receiver on 127.0.0.1, at
${r.startedAt}; ${r.totalSeconds} s in all. Figures are medians of 3 runs unless said otherwise. The
machine is shared and noisy: read ratios, not absolute numbers. Raw figures: \`bench/results/latest.json\`.

${table}

How each is measured:

1. **Ingest.** autocannon, 50 connections, 5 s per run, the same 250-byte event against a bare
   Express 5 app that parses JSON and answers 202 (stores nothing) and against the real ingest
   process in queue mode with 3 subscribed webhooks. Only 2xx count; every Hookline 202 is a
   committed event plus 3 queue rows. Group commit lets concurrent requests share a transaction.
2. **Drain.** 100,000 events queued in Postgres over 10 webhooks (the fill is not timed), one worker
   process, batchLimit 100, a receiver answering 200 at once; events/s from the first arrival to
   the last. Baseline: one BullMQ job per (event, webhook) and one got POST each, worker
   concurrency 50, on 10,000 events in the same run.
3. **Latency.** An open-loop client at 500 events/s for 6 s against ingest in immediate mode, three
   runs (the target must hold in each) after a 2 s warm-up that is not measured (3c too); the receiver stamps arrivals with the same clock. Baseline:
   the same client posting straight to the receiver. 3c: autocannon, 50 connections, 5 s, three
   runs; delivered events/s from the receiver's first arrival to its last, every accepted event
   waited for.
4. **Memory.** VmRSS of the worker sampled every 200 ms while it drains 1,000,000 queued events over
   10 webhooks; the ingest peak is sampled during workload 1.
5. **Scale-out.** Workload 2 with one and with two worker processes; the receiver counts repeated
   and out-of-order events per webhook.
6. **Retention.** 1,000,000 old rows (events, batches, delivery logs) seeded with SQL and pruned
   while ingest takes a steady load; its p99 during the prune against just before and after.
7. **Schema validation.** Single-event ingest as in workload 1, interleaved: a type whose
   payloads pass a 20-field JSON Schema against the same payload of a type without one.
8. **Start-up.** After \`npm run build\`: wall time of \`npm run cli -- --help\`, and of spawning the
   compiled ingest until \`/readyz\` answers 200 (medians of 5). On 2026-12-01 it was measured in its
   own run (\`npm run bench -- startup\`) after the full run, and merged into the results.
9. **Slow receivers** (issue 14). 200,000 events queued with SQL over 500 webhooks; the receiver
   answers after 30–70 ms, and every 100th request after 2 s (deterministic); one worker process,
   then two, at the default WORKER_CONCURRENCY (64); then one worker at 4 and 16 for the
   curve. CPU is read from /proc from the first delivery to the last: the machine's busy share and
   the cores each part used (workers, all Postgres backends, Redis, this process with the receiver).
10. **Single-webhook drain** (issue 14). 50,000 events queued for one webhook, instant receiver,
   batchLimit 100: one batch in flight at a time, so the drain's own work per batch is the rate.
   The drain cuts and renders batch N+1 while N is in flight and stores N+1's body in the
   statement that records N. Back to back with the commit before that change (e8dbba9) on
   2026-12-02: 14,420 events/s before, 14,098 and 15,030 after (medians of 3), within the noise.
   Timing the worker's phases per batch said why: the cut (4.1 ms, of which Postgres executes
   1.9 ms and plans 0.7) takes longer than the request it overlaps (2.6–2.9 ms), and both compete
   for the same two cores; recording takes 1.4 ms more.
11. **Noisy neighbours** (issue 14). Workload 9 with one worker, once all healthy and once with
   every 10th webhook bad (half never answer, so each request waits out the timeout, 5 s in both
   runs to keep them short; half answer 500 and are retried). Measured over the healthy 90% only:
   their events/s from first to last arrival, and each webhook's p99 delay from the worker's
   start; the worst webhook's p99 is compared, as the order in which webhooks are drained differs
   between runs.

12. **Growth** (issue 14). 10,000,000 events and their queue rows over 10 webhooks, written with
   SQL; one worker drains with an instant receiver and the rate is taken over three successive
   windows of 100,000 deliveries (median), against draining a 100,000-event backlog (median of 3). Then, the worker stopped, single-event
   ingest (workload 1's load after a 2 s warm-up, median of 3 runs, 10 subscribed webhooks) on
   that database against an empty one with the same webhooks. Every fill ends with VACUUM (ANALYZE)
   and CHECKPOINT. \`--quick\` uses 1,000,000 events.
13. **Quiet beside busy** (issue 20). Queue mode, \`WEBHOOK_CRON\` every second, batchLimit 1,
   every receiver answering after 20 ms, one worker at the default WORKER_CONCURRENCY: 200
   webhooks hold 100,000 queued events (written with SQL); once their drain has started, one more
   webhook gets 50 events posted to ingest, one every 100 ms. Its delay is each event's arrival
   less its 202. Baselines in the same run: the quiet webhook with no backlog beside it, and the
   busy webhooks' rate over the same 15 s with no quiet events.
14. **A million webhooks** (issue 20). 1,000 webhooks with 100,000 queued events between them
   (batchLimit 10), alone and beside 999,000 idle webhooks written with SQL: the clock's statements
   timed with the backlog queued (medians of 5), the drain, and single-event ingest of a type
   three webhooks take (after the drain; warm-up, median of 3), with worker and ingest RSS.
   \`--quick\` registers 200,000.

## Where targets are missed, and why

This run: ${r.totalSeconds} s (the committed one was made from a fresh clone: \`npm run setup && npm run
bench\`). Figures of issue 14's work that are not in the table come from
runs of single workloads (\`npm run bench -- <name>\`, \`--quick\` where said: one run instead of
three), each named with its date and what was compared. The machine was much faster on the
morning of 2026-12-02 than the night before (bare Express 8,901 against 3,709 req/s, the 100k
drain 34,762 against 21,658 events/s in the two full runs), so a target met in this table is
credited to a change only where a back-to-back comparison says so.

- **Single-event ingest (0.7× bare Express).** ${i ? `${i.ratio}× in this run; ` : ''}0.47× in the morning's first full run, on a
  machine as fast (bare Express 8,901 req/s), before the group's round trips went from seven to
  five (below). The ingest process is the limit: it used
  ${i?.cpu ? i.cpu.cores.ingest : '~1'} cores (its thread saturated) while Postgres used ${i?.cpu ? i.cpu.cores.postgres : '~0.2'}. Where its time goes, measured on
  2026-12-02 (ingest under single-event POSTs alone, alternating runs of 2 × 5 s):
  - The same process answering 202 right after validation, before the group commit (a patch for
    the measurement, not committed), takes 6,075–8,362 req/s against 3,422–6,442 for the real
    thing in the runs between: Express, authentication, rate limiting, zod and the raw-payload
    cut cost ~0.85–0.9× the bare endpoint; the durable write (group commit, its statements, their
    replies) is the rest.
  - The group's round trips went from seven to five: ids drawn and events inserted in one
    prepared statement, the webhooks and queue rows as prepared statements, and the group written
    through the API's pool, which commits synchronously, so no \`SET LOCAL\` first (3,682–4,941
    against 2,809–3,909 events/s before, alternating). knex's own share of the profile fell from
    6.4% to 2.8%.
  - What remains (profile shares of non-idle time): 14% \`writev\`, the replies and the group's
    statements in equal parts (BEGIN, three statements and COMMIT per group of a few requests);
    10% garbage collection; Express's router 8%. Fewer, bigger groups do not help: 2 transactions
    in flight instead of 4 gave 3,447 and 3,350 events/s against 3,300 and 3,340. A larger young
    generation (\`--max-semi-space-size=32\`) gave 0.49× and 0.43× against 0.40× and 0.44× with
    40 MB more RSS: within the noise, not adopted.
  - Reaching 0.7× needs the durable write to cost a third of what it does. The bound, measured
    with patches for the measurement (not committed; \`npm run bench -- ingest --quick\`, ratios
    within each run, two runs each): the group reduced to the events insert alone, in one
    autocommitted statement (no webhooks read, no queue rows: nothing delivered) 0.70× and 0.69×;
    the same inside BEGIN … COMMIT 0.68× and 0.57×; the real group 0.46× and 0.48×. So even a
    group of one statement that wrote the queue rows too would sit under 0.7× here, and one
    statement cannot hold the group while the webhook filters run in JavaScript between the
    event insert and the queue rows. Not built.
- **Batch ingest (50,000 events/s)** (${i ? yes(i.batchEventsPerSecond >= 50_000) : 'not measured'} in this run: ${i ? `${i.batchEventsPerSecond} events/s, ingest ${i.batchCpu?.cores.ingest} cores, Postgres ${i.batchCpu?.cores.postgres}` : '—'}). Each event is
  still one \`events\` row plus one queue row per subscribed webhook; the rows got cheaper. Measured
  in Postgres first (3,000 queue rows in one statement): 20.5 ms with the foreign key to
  \`webhooks\` and the primary key, 12 ms without the key check, 9 ms with only the
  (webhook_id, id) index every reader uses. Migration 8 drops both: ingest takes the KEY SHARE
  lock the foreign key took per row once per group on the webhooks it reads, and a delete trigger
  removes a deleted webhook's queue rows (packages/db/test/queue-rows.test.ts). Back to back
  (\`--quick\`, 2026-12-02): 22,600 events/s at c0784ef, 31,400 and 38,800 with cheap queue rows.
  Then the ingest process was the limit; its profile (batch POSTs alone, shares of non-idle time)
  before → after the next commit: building the group's rows in accept-events 12.4% → 1.6% (plain
  loops instead of spreads and nested array helpers), scanning the body for the raw payloads 18%
  → about 10% (quotes found with \`indexOf\`, keys sliced instead of \`JSON.parse\`d), pg's
  text[] encoding 7% → 4% (payloads sent as one JSON array), and event ids drawn as one row; 57,600
  events/s in the next \`--quick\` run. Per-webhook cursors over the event log would remove the
  fan-out rows altogether; not needed for the target, not built.
- **Immediate-mode throughput (1,500 delivered events/s).** ${im ? `${im.deliveredEventsPerSecond} events/s in this run (runs ${(im.runs ?? []).join(', ')}): ${yes(im.deliveredEventsPerSecond >= 1500)}. ` : ''}The
  morning's first full run, on a machine as fast (bare Express 8,901 req/s), before the group's
  round trips went from seven to five: 1,395 (runs 1,256, 1,584, 1,395); \`--quick\` runs between
  the two gave 1,106–1,886. The evening before, on a slower machine: 842, and 630 before delivered
  batches were recorded in groups (Postgres's share fell from 0.49 to 0.13–0.17 cores). The
  ingest process is the limit (${im?.cpu ? im.cpu.cores.ingest : '~1.1'} cores). Its profile under this load (shares of its non-idle time),
  before → after grouped records: \`writev\` 29% → 11%, pg's query path (inclusive) 30% → 9%;
  what remains is spread: 8–12% garbage collection, ~10% got building each request
  (\`createNativeRequestOptions\` alone 2.8% self), ~10% Express's JSON reply, the group commit.
  On a slower day the figure can fall under the target again.
- **Immediate-mode latency (p99 ≤ 25 ms in each of 3 runs).** ${l ? `p99 of the runs: ${(l.runs ?? [l.p99From202Ms]).join(', ')} ms (${yes((l.runs ?? [l.p99From202Ms]).every((p: number) => p <= 25))} in this run). ` : ''}The night before: 194, 21 and 65 ms
  (and 70.8 and 226 ms before grouped records, 175 ms for the commit before issue 14, e8dbba9).
  When the ingest is near its ceiling at 500 events/s (3c), requests queue before the 202 and a
  burst of such queueing reaches the sends after the 202 too; with the faster machine and cheaper
  ingest of this run there is headroom, and the target holds. On a slower day it may not.
- **Drain ratio (20× the naive design).** The drain makes two statements and one HTTP request
  per batch of 100 on its critical path (the cut of the next batch overlaps the request); on these
  machines a socket write is an expensive system call, and the worker's single Node thread is its
  limit (profiled: a fifth to a third of its time is in \`writev\`). The naive design spends its
  time the same way per event, so the ratio is bounded by ~batch size ÷ statements.
- **Single-webhook drain (15,000 events/s).** ${sw ? `${sw.eventsPerSecond} events/s (runs ${sw.runs.join(', ')}) in this run; ` : ''}14,194 in the
  full run the night before and 15,502 (15,136–15,910) in a run of its own then, once the cut and
  the record were prepared statements. The faster machine, not a change of this morning, makes
  the difference (row 10's note says where a batch's time goes).
- **Scale-out (2 workers ≥ 1) and slow receivers (2 workers ≥ 1.6×).** ${s ? `Scale-out: ${s.ratio}× in this run (1× and 0.99× in the two full runs before). ` : ''}${sl ? `Slow receivers: ${sl.ratio}× (${sl.oneWorkerEventsPerSecond} → ${sl.twoWorkersEventsPerSecond} events/s), with no duplicates or order breaks. ` : ''}The
  receivers' latency is not the limit beyond a few dozen drains: one worker's rate stops rising
  between WORKER_CONCURRENCY 16 and 64 (the curve in row 9; 128 gave 16,191 against 17,638 at 64
  on 2026-12-02), while latency alone would allow
  64 × 100 events ÷ ~70 ms ≈ 90,000 events/s. The CPU is: with one worker the parts already use
  about 1.1–1.4 of the 2 cores (worker ~0.6, Postgres ~0.5–0.7, receiver ~0.1; row 9), and a second
  worker process can only take its core from Postgres and the first worker (with two, the
  workers together get 0.74–0.86 cores, little more than one got alone). A
  CPU profile of one worker on this workload (\`BENCH_PROFILE=<dir>\`, 2026-12-02): 22% in
  \`writev\` (every statement and every request is one; on loopback it also runs the receiving
  side's TCP work), 4% garbage collection, 3% rendering batch elements, 1% each parsing timestamps
  and rows, 29% idle over the whole run including start-up. Correctness holds (no duplicates,
  order kept); more workers pay off where they get cores of their own: the target needs cores
  this machine does not have.
- **Noisy neighbours** (met). A hanging receiver holds one of its worker's WORKER_CONCURRENCY drains
  for a whole timeout. At 16 (the default until 2026-12-02) 25 hanging webhooks took most of the
  slots at the start of the run and the healthy rate fell to 0.67× (18.9 s p99 worst delay against
  13.5 s); the default is now 64, where a drain costs a few kB while it waits and the database pool
  no longer grows with it (min(concurrency, 16) + 4 connections), and the healthy rate holds
  (row 11).
- **Growth.** Measured five times on 2026-12-02 as the workload was made fairer: drain 0.63×,
  0.76×, 1.08×, 1.08×, 1.58×; ingest with 10M stored 0.74× (one cold 5 s run), 0.66×, 1.14×, 1.32×, 1.2×. The
  drain's 0.63× was with the fill's gigabytes of WAL still being checkpointed under the measurement
  (the fill now ends with VACUUM and CHECKPOINT, as rows that arrive over time would have been);
  what stays is a real but small cost: 2.6% of the pages the big drain needs are not in Postgres's
  shared buffers (128 MB, the Debian default) against none for the small one, and the first window
  of the big backlog is the slowest. Between runs the figures move more than the target's 20%.
- **Retention prune (p99 ≤ 1.5×).** ${rt ? `${rt.ratioP99}× in this run; ` : ''}2.33×, 1.08× and 1.24× in runs the night
  before. The load's own p99 before and after the prune moved between 23 and 72 ms across those
  runs: the machine, not the prune, sets this figure. The prune of queue rows changed with
  migration 8 (one webhook's expired prefix at a time, on the (webhook_id, id) index), but this
  workload's old rows are events, batches and delivery logs.
- **Same machine, other days.** 2026-12-01 was slower than 2026-11-22 (drain 27,570 vs 31,089
  events/s; immediate p99 43.7 vs 22.8–30.3 ms), the night of 2026-12-02 slower again (bare
  Express 3,709 req/s in its full run), and the morning of 2026-12-02 much faster (8,901). To tell
  code from machine, the commit before a change is run back to back with it (c0784ef for batch
  ingest, e8dbba9 for issue 14's earlier work; 4df0ffd for issue 12).

## Fair shares (issue 20), back to back with e815dfe

Rows 13 and 14 come from a run of \`npm run bench -- quiet noisy slow single million\` on
2026-12-04 (~18:55 UTC), merged into this file's results; e815dfe (the commit before the fair
queue) ran \`quiet noisy slow single\` right after it on the same machine.

- **Quiet beside busy.** e815dfe delivered 0 of the quiet webhook's 50 events within 60 s in each
  of its three runs (its drains hold a slot until their webhook is empty); now its p90 and p99
  delays are within its delay alone (row 13; 0.98× and 0.96× in the full run before it). The busy
  webhooks' rate moves more between minutes than between the two commits, so it was compared
  with e815dfe in alternating runs of the busy backlog with and without the quiet webhook (the
  \`quiet\` workload's runs, 15 s each), 2026-12-04: at ~19:10 this code 891/1,098, 907/911,
  1,081/1,063 events/s against e815dfe's 1,183/1,029, 1,061/1,107, 1,130/1,042; at ~19:35 (e815dfe
  first) 1,157/1,303, 1,270/1,240, 1,303/1,368 against 1,343/1,375, 1,333/1,528, 1,148/1,465. Over
  the twelve pairs: 0.92× (geometric mean of the pairs' ratios), 0.97× (median of all runs). In
  row 13 the ratio is the median of each run's pair (beside, then alone right after); the ratio
  of the medians in that run was 0.73×. Changing turns costs about five statements and three
  Redis calls every 32 batches; with 16 batches or 1 s per turn it was 0.84× in a full run, at
  250 ms about 0.6×.
- **Noisy neighbours, slow receivers, single webhook** (same runs). Noisy: healthy 23,399 against
  22,783 events/s, worst p99 delay ratio 0.96× against 1.02×. Slow receivers: one worker 26,893
  against 20,827, two workers 20,990 against 20,131 events/s. Single webhook: 17,741 against
  24,313 in the first pair, then 17,537, 16,112 against 16,887, 17,176 alternating: within the
  noise, which on this machine is ±30% between minutes.
- **A million webhooks** (row 14). Before, the tick's statement scanned every webhook (0.9–1.0 s a
  tick with 1,000,000 registered, measured with e815dfe's statements on the same fill) and the
  per-minute snapshot wrote a row per registered webhook (1,000,000 rows, 21 s); now both read
  only the webhooks with work.

## The webhook as one unit (issue 21), back to back with e815dfe

Endpoints got a table of their own (migration 10): the drain leases an endpoint and reads its
webhook in the same statement, ingest reads subscribed webhooks joined with their endpoints, and
the use cases moved out of the routes. The hot paths were compared with e815dfe on 2026-12-04
(~21:20–21:35 UTC) in alternating \`--quick\` runs (one run each, this code first), ratio this
code ÷ e815dfe per pair:

- **Single-event ingest**: 3,432/3,604, 3,708/3,839, 3,470/3,458, 3,453/3,943 events/s: 0.95×
  (geometric mean of the pairs); batch ingest 55,200/57,000, 61,800/55,800, 53,800/58,600,
  57,600/60,600: 0.99×.
- **Drain** (100,000 events, 10 webhooks): 32,008/34,633, 36,421/38,866, then e815dfe first
  34,316→31,128, 40,461→40,786, 31,571→33,469 events/s: 0.97×.
- **Single-webhook drain**: 21,672/27,750, 28,468/20,427 events/s: 1.04×, the pairs 0.78× and
  1.39× (the noise of one 2–3 s run).
- **Immediate mode**: seven pairs, 0.90× to 1.06×: 0.98×.

All within the noise of this machine (±30% between minutes); none is a target of its own.

## Organizations and applications (issue 22)

Rows 15 and 16 are the workloads \`tenants\` and \`smallBig\`; the figures below come from
\`npm run bench -- tenants\` (2026-12-05, ~02:21 UTC) and \`npm run bench -- smallBig\`, 3 runs each,
medians; not yet part of a full run's record; raw: \`bench/results/issue-22.json\`.

- **1,000 applications × 10 webhooks against 1 application × 10 webhooks, single-event ingest**
  (50 connections, each request to the next application): 2,599 against 2,638 events/s,
  **0.99×** (the pairs 2,354/2,481, 2,892/2,930, 2,599/2,638). Both installations run side by
  side and take the load in alternating one-second slices, five each after a second of warm-up,
  so both see the same minutes of this machine; run one after the other, a minute apart, the same
  code measured 0.74× to 0.97×.
  - How it got there from 0.72×. Each event's fan-out reads its own application's webhooks: a
    group commit of events of dozens of applications read (and KEY SHARE-locked) ten endpoint
    rows per application where one application's read ten in all. Now ingest keeps each
    application's targets per event type (\`TargetCache\`) and checks them, per group, against one
    number per application (\`applications.targets_version\`, moved by triggers with anything
    fan-out reads; migration 12), read after a shared advisory lock per application that a change
    waits for. The planner read those numbers by scanning the whole applications table (0.55 ms
    of a 2.6 ms group of 14 events, timing acceptEvents alone in alternating blocks of 200
    groups); one index probe per application makes it 0.20 ms (0.13 ms with one application). What still differs is intrinsic: queue rows of 14 events go to 140
    endpoints' places in the queue index instead of 10 (0.9 against 0.7 ms per group).
  - Keys and applications on ingest's path are read again in the background, many per query,
    before they are 5 s old (\`refreshingCache\`): with 1,000 applications a plain 5-s expiry put a
    read of Postgres in front of one request in twenty.
- **Drain** of 100,000 queued events over 10,000 webhooks, in 1,000 applications or all in one:
  3,660 against 3,671 events/s, **0.96×** (the pairs 3,335/3,473, 3,660/3,671, 3,672/3,875).
- **No cross deliveries under load**: the 867,917 events ingested in those runs were then
  delivered by a worker to a receiver that knows whose each webhook is: 0 reached another
  application's webhook. The drain runs count the same, with 0 duplicates and 0 order breaks.
- **Application small beside application big** (1,000,000 queued events over 1,000 webhooks, a
  tenth of whose receivers answer 500 or never answer, \`timeoutMs\` 5 s; small has one webhook
  and gets 50 events, one every 100 ms): small's p99 delay 1,091 ms against 835 ms alone,
  **1.31×** (≤ 1.5×; p90 853 against 728 ms); big's rate 869 against 949 events/s alone,
  **0.96×** (the pairs 0.96, 0.87, 1.26).
- **One application, against 535b7c4** (the commit before this issue), alternating \`--quick\`
  runs of \`ingest drain immediate single quiet\` (this code first), ratio this code ÷ 535b7c4:
  single-event ingest 3,931/3,966 and 3,724/3,519 events/s, **1.02×** (geometric mean of the
  pairs); batch ingest 54,200/55,800 and 52,400/54,600, 0.97×; drain (100,000 events, 10
  webhooks) 43,721/41,181 and 42,482/40,243, 1.06×; immediate mode 1,610/1,636 and 1,449/1,611,
  0.94×; single-webhook drain 32,122/26,626 and 28,791/26,608, 1.14×; quiet beside busy: the
  quiet webhook's p99 789/709 and 806/934 ms, the busy webhooks 1,258/1,259 and 1,255/1,412
  events/s. All within the noise of this machine.
- **One application, against e70877b** (before the targets version and the refreshing caches),
  alternating \`--quick\` runs of \`ingest drain immediate\` on 2026-12-05 (this code first):
  single-event ingest 3,145/3,011 and 3,586/2,762 events/s; batch ingest 40,000/37,200 and
  41,400/41,000; drain 33,126/27,877 and 34,979/38,165; immediate mode 1,348/1,312 and
  1,343/1,016. Within the noise of this machine, or better.
`;
}
