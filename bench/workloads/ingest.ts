import autocannon from 'autocannon';
import { ADMIN_KEY, api, benchEnvironment, sampleRss } from '../support/environment.js';
import { freePort, run, startIngest } from '../support/processes.js';
import { measureCpu, type CpuUse } from '../support/cpu.js';
import { median, round, RUNS } from '../support/stats.js';

const CONNECTIONS = 50;
const SECONDS = 5;

/** Authenticated POSTs of `body` to `url` from `connections` connections for `seconds` (autocannon). */
export async function load(
  url: string,
  body: string,
  connections = CONNECTIONS,
  seconds = SECONDS,
): Promise<{ rps: number; accepted: number; non2xx: number }> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body,
  });
  return {
    rps: result['2xx'] / seconds,
    accepted: result['2xx'],
    non2xx: result.non2xx + result.errors + result.timeouts,
  };
}

const single = JSON.stringify({
  type: 'form.submitted',
  payload: {
    form: { id: 3, name: 'Contact us' },
    contact: { email: 'ada@example.com', firstname: 'Ada' },
    message: 'Hello there',
  },
});
/** Workload 1's single-event load (50 connections, 5 s unless said) against `url`. */
export const loadSingle = (url: string, seconds = SECONDS) => load(url, single, CONNECTIONS, seconds);

const thousand = JSON.stringify({
  events: Array.from({ length: 1000 }, (_, seq) => ({
    type: 'form.submitted',
    payload: { seq, contact: { email: `c${seq}@example.com` } },
  })),
});

/** Workload 1: durable single-event ingest vs a bare Express endpoint; batch ingest; ingest RSS. */
export async function benchIngest() {
  const env = await benchEnvironment();
  const basePort = await freePort();
  const baseline = await run(
    'bench/baselines/bare-express.ts',
    [],
    { PORT: String(basePort) },
    'baseline listening',
  );
  const port = await freePort();
  const ingest = await startIngest(env.env, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    await api(base, 'PATCH', '/v1/settings', { queueMode: 'queue' });
    for (let i = 0; i < 3; i++) {
      await api(base, 'POST', '/v1/webhooks', {
        name: `w${i}`,
        url: 'http://127.0.0.1:9/hook',
        events: ['form.submitted'],
      });
    }
    await new Promise((r) => setTimeout(r, 1200));
    const ours: number[] = [];
    const bare: number[] = [];
    const batch: number[] = [];
    let errors = 0;
    const rss = sampleRss(ingest.proc.pid!);
    let cpu: CpuUse | undefined;
    let batchCpu: CpuUse | undefined;
    for (let i = 0; i < RUNS; i++) {
      bare.push((await load(`http://127.0.0.1:${basePort}/v1/events`, single)).rps);
      const use = measureCpu({ ingest: [ingest.proc.pid!] });
      const r = await load(`${base}/v1/events`, single);
      cpu ??= use.stop();
      ours.push(r.rps);
      errors += r.non2xx;
      const useBatch = measureCpu({ ingest: [ingest.proc.pid!] });
      const b = await load(`${base}/v1/events`, thousand, 4);
      batchCpu ??= useBatch.stop();
      batch.push(b.rps * 1000);
      errors += b.non2xx;
    }
    const peakRss = rss.stop();
    return {
      singleEventsPerSecond: round(median(ours), 0),
      bareExpressRequestsPerSecond: round(median(bare), 0),
      ratio: round(median(ours) / median(bare)),
      batchEventsPerSecond: round(median(batch), 0),
      non2xx: errors,
      ingestPeakRssMb: round(peakRss, 0),
      runs: { ours, bare, batch },
      cpu,
      batchCpu,
    };
  } finally {
    await ingest.stop();
    await baseline.stop();
    await env.dispose();
  }
}

const FIELDS = 20;
/** A payload of 20 typed fields, and a JSON Schema that requires and types each of them. */
const fieldPayload = Object.fromEntries(
  Array.from({ length: FIELDS }, (_, i) => [`f${i}`, i % 2 ? `value ${i}` : i]),
);
const fieldSchema = {
  type: 'object',
  required: Object.keys(fieldPayload),
  properties: Object.fromEntries(
    Object.keys(fieldPayload).map((k, i) => [
      k,
      i % 2 ? { type: 'string', maxLength: 100 } : { type: 'integer', minimum: 0 },
    ]),
  ),
  additionalProperties: false,
};

/**
 * Workload 7: single-event ingest of a type whose payloads pass a 20-field JSON Schema, against
 * the same payload of a type without one, in the same ingest process, runs interleaved.
 */
export async function benchSchema() {
  const env = await benchEnvironment();
  const port = await freePort();
  const ingest = await startIngest(env.env, port);
  const base = `http://127.0.0.1:${port}`;
  try {
    await api(base, 'PATCH', '/v1/settings', { queueMode: 'queue' });
    await api(base, 'POST', '/v1/event-types', { name: 'bench.plain' });
    await api(base, 'POST', '/v1/event-types', { name: 'bench.schema', schema: fieldSchema });
    await api(base, 'POST', '/v1/webhooks', {
      name: 'w',
      url: 'http://127.0.0.1:9/hook',
      events: ['bench.plain', 'bench.schema'],
    });
    const body = (type: string) => JSON.stringify({ type, payload: fieldPayload });
    const plain: number[] = [];
    const schema: number[] = [];
    let errors = 0;
    for (let i = 0; i < RUNS; i++) {
      const p = await load(`${base}/v1/events`, body('bench.plain'));
      const s = await load(`${base}/v1/events`, body('bench.schema'));
      plain.push(p.rps);
      schema.push(s.rps);
      errors += p.non2xx + s.non2xx;
    }
    return {
      fields: FIELDS,
      withSchemaEventsPerSecond: round(median(schema), 0),
      withoutSchemaEventsPerSecond: round(median(plain), 0),
      ratio: round(median(schema) / median(plain)),
      non2xx: errors,
      runs: { schema, plain },
    };
  } finally {
    await ingest.stop();
    await env.dispose();
  }
}
