// @ts-check
import { api } from '../lib/api.js';
import { h, main, screenFor, select } from '../lib/dom.js';

/** A uPlot chart of per-minute buckets: `series` are [label, colour, value of a bucket, fill?]. */
function chart(id, title, buckets, series) {
  const box = h('div', { class: 'chart', id });
  const data = [
    buckets.map((b) => Date.parse(b.t) / 1000),
    ...series.map(([, , value]) => buckets.map(value)),
  ];
  // uPlot draws into the box once it is in the page (it measures nothing before).
  queueMicrotask(() => {
    // The instance stays on its box, where the browser test reads what was plotted.
    // eslint-disable-next-line no-undef -- uPlot is the global of vendor/uplot/uPlot.iife.min.js
    box.plot = new uPlot(
      {
        title,
        // The card's full width, less its padding (the box is in the page by now).
        width: Math.max(320, (box.clientWidth || main.clientWidth) - 16),
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
  });
  return box;
}

/** Deliveries, latency and what waits, per minute, for one webhook or all (GET /v1/stats). */
export async function renderStats(webhookId = '', window = '1h') {
  const display = screenFor(location.hash);
  const [webhooks, stats] = await Promise.all([
    api('GET', '/v1/webhooks'),
    api('GET', `/v1/stats?window=${window}${webhookId ? `&webhook=${webhookId}` : ''}`),
  ]);
  const b = stats.buckets;
  const delivered = b.reduce((n, x) => n + x.success, 0);
  const failed = b.reduce((n, x) => n + x.failed, 0);
  const pick = select(
    'stats-webhook',
    [['', 'all webhooks'], ...webhooks.map((w) => [w.id, w.name])],
    webhookId,
  );
  const span = select(
    'stats-window',
    [
      ['1h', 'last hour'],
      ['24h', 'last 24 hours'],
    ],
    window,
  );
  const redraw = () => void renderStats(pick.value, span.value);
  pick.addEventListener('change', redraw);
  span.addEventListener('change', redraw);
  display(
    h('h1', {}, 'Overview'),
    h('div', { class: 'toolbar' }, pick, span, h('button', { type: 'button', onclick: redraw }, 'Refresh')),
    h('p', { id: 'stats-totals' }, `${delivered} delivered, ${failed} failed`),
    // Stacked: the red area is every attempt, the green one the successful ones over it.
    chart('chart-deliveries', 'Deliveries per minute', b, [
      ['failed', '#b42318', (x) => x.success + x.failed, 'rgba(180,35,24,0.35)'],
      ['delivered', '#116329', (x) => x.success, 'rgba(17,99,41,0.45)'],
    ]),
    chart('chart-latency', 'Delivery latency (ms, bucket upper bound)', b, [
      ['p50', '#3b6fd8', (x) => x.p50Ms],
      ['p99', '#b26b00', (x) => x.p99Ms],
    ]),
    chart('chart-queue', 'Waiting (per-minute snapshot by the workers)', b, [
      ['queue depth', '#5b3cc4', (x) => x.queueDepth],
      ['retry backlog', '#b42318', (x) => x.retryBacklog],
    ]),
  );
}
