import { connect } from '@hookline/db';
import { pruneExpired, startEngine } from '@hookline/delivery';
import { createLogger } from '@hookline/logger';
import { ADMIN_KEY, api, benchEnvironment } from '../support/environment.js';
import { freePort, startIngest } from '../support/processes.js';
import { percentile, round } from '../support/stats.js';

const OLD_ROWS = { events: 500_000, batches: 250_000, deliveryLogs: 250_000 };
const RATE = 200; // ingest requests/s, 10 events each
const SECONDS = 6;

/** Open loop at RATE for SECONDS; the latency of each 202 (failures counted apart). */
async function ingestLoad(base: string, tag: string): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; n < RATE * SECONDS; n++) {
    const wait = started + (n * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    const events = Array.from({ length: 10 }, (_, i) => ({ type: 'form.submitted', payload: { tag, n, i } }));
    pending.push(
      fetch(`${base}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      }).then(
        async (res) => {
          await res.text();
          if (res.status === 202) latencies.push(performance.now() - sent);
          else failed++;
        },
        () => void failed++,
      ),
    );
  }
  await Promise.all(pending);
  return { latencies, failed };
}

/**
 * Workload 6: does a retention prune of 1,000,000 old rows move ingest's p99? The same open-loop
 * ingest load runs before, during and after a prune (baseline = the runs before and after).
 */
export async function benchRetention() {
  const env = await benchEnvironment();
  const knex = connect(env.databaseUrl, { poolMax: 4 });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const ingest = await startIngest(env.env, port);
  try {
    await api(base, 'PATCH', '/v1/settings', { queueMode: 'queue' });
    const hook = (await api(base, 'POST', '/v1/webhooks', {
      name: 'sink',
      url: 'http://127.0.0.1:9/unused',
      events: ['form.submitted'],
    })) as { body: { id: string } };
    const seedStarted = Date.now();
    await knex.raw(
      `INSERT INTO events (type, payload, occurred_at, received_at)
       SELECT 'form.submitted', '{"old":' || g || '}', now() - interval '40 days', now() - interval '40 days'
       FROM generate_series(1, :n) g`,
      { n: OLD_ROWS.events },
    );
    await knex.raw(
      `INSERT INTO batches (endpoint_id, mode, status, body, event_count, created_at)
       SELECT (SELECT id FROM endpoints WHERE webhook_id = :webhookId), 'queue', 'success', '{"form.submitted":[{"old":1}]}', 1, now() - interval '40 days'
       FROM generate_series(1, :n)`,
      { n: OLD_ROWS.batches, webhookId: hook.body.id },
    );
    await knex.raw(
      `INSERT INTO delivery_logs (endpoint_id, mode, status, status_code, duration_ms, attempt, event_count, created_at)
       SELECT (SELECT id FROM endpoints WHERE webhook_id = :webhookId), 'queue', 'success', 200, 5, 1, 1, now() - interval '40 days'
       FROM generate_series(1, :n)`,
      { n: OLD_ROWS.deliveryLogs, webhookId: hook.body.id },
    );
    await knex.raw('ANALYZE');
    const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);

    await ingestLoad(base, 'warm-up'); // JIT and pools warm, so "before" is not the cold start
    const before = await ingestLoad(base, 'before');

    const engine = await startEngine({
      knex,
      logger: createLogger({ service: 'bench', level: 'error' }),
      allowPrivateUrls: true,
      publicUrl: 'http://bench',
      userAgent: 'Hookline/bench',
    });
    const pruneStarted = performance.now();
    let pruneEndedAt = 0;
    const pruning = pruneExpired(engine, new Date()).then((summary) => {
      pruneEndedAt = performance.now();
      return summary;
    });
    const loadStarted = performance.now();
    const during = await ingestLoad(base, 'during');
    const loadEnded = performance.now();
    const summary = await pruning;
    engine.stop();

    const after = await ingestLoad(base, 'after');
    const baseline = [...before.latencies, ...after.latencies];
    const p99 = (xs: number[]) => round(percentile(xs, 99), 1);
    return {
      oldRows: OLD_ROWS,
      seedSeconds,
      pruned: {
        events: summary.events,
        batches: summary.batches,
        deliveryLogs: summary.deliveryLogs,
        seconds: round((pruneEndedAt - pruneStarted) / 1000, 1),
      },
      /** Share of the measured load window during which the prune was running. */
      pruneCoveredLoad: round(Math.min(1, (pruneEndedAt - loadStarted) / (loadEnded - loadStarted)), 2),
      rate: RATE,
      eventsPerRequest: 10,
      p50BaselineMs: round(percentile(baseline, 50), 1),
      p99BeforeMs: p99(before.latencies),
      p99AfterMs: p99(after.latencies),
      p99DuringPruneMs: p99(during.latencies),
      p50DuringPruneMs: round(percentile(during.latencies, 50), 1),
      ratioP99: round(percentile(during.latencies, 99) / percentile(baseline, 99), 2),
      failedRequests: before.failed + during.failed + after.failed,
    };
  } finally {
    await ingest.stop();
    await knex.destroy();
    await env.dispose();
  }
}
