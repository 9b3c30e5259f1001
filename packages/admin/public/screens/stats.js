// @ts-check
import { api } from '../lib/api.js';
import { Select, useLoaded, Waiting } from '../lib/controls.js';
import { appPath } from '../lib/session.js';
import { html, useEffect, useRef, useState } from '../lib/ui.js';

/** A uPlot chart of per-minute buckets: `series` are [label, colour, value of a bucket, fill?]. */
function Chart({ id, title, buckets, series }) {
  const ref = useRef(/** @type {any} */ (null));
  useEffect(() => {
    const box = ref.current;
    const data = [
      buckets.map((b) => Date.parse(b.t) / 1000),
      ...series.map(([, , value]) => buckets.map(value)),
    ];
    box.replaceChildren();
    // The instance stays on its box, where the browser test reads what was plotted.
    // eslint-disable-next-line no-undef -- uPlot is the global of vendor/uplot/uPlot.iife.min.js
    box.plot = new uPlot(
      {
        title,
        // The card's full width, less its padding.
        width: Math.max(320, box.clientWidth - 16),
        height: 220,
        series: [
          {},
          ...series.map(([label, colour, , fill]) => ({
            label,
            stroke: colour,
            fill,
            width: 1.5,
            spanGaps: false,
            points: { show: true, size: 4 },
          })),
        ],
        axes: [{}, { size: 60 }],
      },
      data,
      box,
    );
  }, [buckets]);
  return html`<div class="chart" id=${id} ref=${ref}></div>`;
}

const WINDOWS = [
  ['1h', 'last hour'],
  ['24h', 'last 24 hours'],
];

/** Deliveries, latency and what waits, per minute, for one webhook or all (GET /v1/stats). */
export function Stats({ webhookId = '' }) {
  const [pick, setPick] = useState({ webhookId, window: '1h' });
  const [{ data, error }, reload] = useLoaded(
    () =>
      Promise.all([
        api('GET', appPath('/v1/webhooks')),
        api(
          'GET',
          appPath(`/v1/stats?window=${pick.window}${pick.webhookId ? `&webhook=${pick.webhookId}` : ''}`),
        ),
      ]),
    [pick.webhookId, pick.window],
  );
  if (!data) return html`<${Waiting} error=${error} />`;
  const [webhooks, stats] = data;
  const b = stats.buckets;
  const delivered = b.reduce((n, x) => n + x.success, 0);
  const failed = b.reduce((n, x) => n + x.failed, 0);
  const choose = (key) => (e) => setPick({ ...pick, [key]: e.currentTarget.value });
  return html`<h1>Overview</h1>
    <div class="toolbar">
      <${Select}
        id="stats-webhook"
        options=${[['', 'all webhooks'], ...webhooks.map((w) => [w.id, w.name])]}
        value=${pick.webhookId}
        onChange=${choose('webhookId')}
      />
      <${Select} id="stats-window" options=${WINDOWS} value=${pick.window} onChange=${choose('window')} />
      <button type="button" onClick=${reload}>Refresh</button>
    </div>
    <p id="stats-totals">${delivered} delivered, ${failed} failed</p>
    ${/* Stacked: the red area is every attempt, the green one the successful ones over it. */ ''}
    <${Chart}
      id="chart-deliveries"
      title="Deliveries per minute"
      buckets=${b}
      series=${[
        ['failed', '#b42318', (x) => x.success + x.failed, 'rgba(180,35,24,0.35)'],
        ['delivered', '#116329', (x) => x.success, 'rgba(17,99,41,0.45)'],
      ]}
    />
    <${Chart}
      id="chart-latency"
      title="Delivery latency (ms, bucket upper bound)"
      buckets=${b}
      series=${[
        ['p50', '#3b6fd8', (x) => x.p50Ms],
        ['p99', '#b26b00', (x) => x.p99Ms],
      ]}
    />
    <${Chart}
      id="chart-queue"
      title="Waiting (per-minute snapshot by the workers)"
      buckets=${b}
      series=${[
        ['queue depth', '#5b3cc4', (x) => x.queueDepth],
        ['retry backlog', '#b42318', (x) => x.retryBacklog],
      ]}
    />`;
}
