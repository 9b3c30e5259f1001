import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './api-error.js';

/** Seconds a client is told to wait while the process is still starting. */
const STARTING_RETRY_AFTER_SECONDS = 5;

export interface StartupGate {
  /** The server's request handler: the app once it is set, a 503 until then. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Hands requests to the real app from now on. */
  open(app: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** What /readyz reports as the reason while waiting (e.g. the last connection error). */
  waitingFor(reason: string): void;
}

/**
 * Lets ingest listen before Postgres is reachable: until the app is ready, `/healthz` says the
 * process is alive, `/readyz` answers 503 with the reason, and every other request gets the API's
 * 503 `storage_unavailable` with Retry-After, the same answer as an outage after start-up.
 */
export function startupGate(): StartupGate {
  let app: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let reason = 'starting';
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  return {
    handle(req, res) {
      if (app) return app(req, res);
      // Whatever body the client sends is not read; drop it rather than leave it half-read.
      req.resume();
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') return send(res, 200, { status: 'ok' });
      if (path === '/readyz')
        return send(res, 503, { status: 'unavailable', postgres: reason, redis: 'not checked yet' });
      const error = new ApiError(
        'storage_unavailable',
        `Hookline is starting (waiting for Postgres: ${reason}); retry later.`,
      );
      send(res, error.status, error.toJSON(), { 'Retry-After': String(STARTING_RETRY_AFTER_SECONDS) });
    },
    open(handler) {
      app = handler;
    },
    waitingFor(next) {
      reason = next;
    },
  };
}
