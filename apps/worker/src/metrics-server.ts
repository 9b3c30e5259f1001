import { createServer, type Server } from 'node:http';
import type { Metrics } from '@hookline/delivery';

/** A worker has no API; when asked to, it serves its own /metrics (and /healthz) on a port. */
export function serveMetrics(metrics: Metrics, port: number): Server {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404).end();
    }
  });
  return server.listen(port);
}
