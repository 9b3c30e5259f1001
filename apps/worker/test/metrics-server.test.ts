import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createMetrics } from '@hookline/delivery';
import { serveMetrics } from '../src/metrics-server.js';

describe('worker metrics server', () => {
  it('serves the worker registry on /metrics and answers /healthz', async () => {
    const metrics = createMetrics();
    metrics.deliveries.inc({ status: 'success', mode: 'queue' }, 3);
    const server = serveMetrics(metrics, 0);
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect(await (await fetch(`${base}/metrics`)).text()).toContain(
        'hookline_deliveries_total{status="success",mode="queue"} 3',
      );
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
