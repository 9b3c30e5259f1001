import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Events received (batch elements), and distinct per webhook path. */
  events: number;
  duplicates: number;
  outOfOrder: number;
  /** Events whose `app` is not the application of the path they reached (when `appOfPath`). */
  crossed: number;
  firstAt: number;
  lastAt: number;
  /** Arrival time (performance.now()) by payload `id`, for latency runs. */
  arrivals: Map<string, number>;
  /** Arrival times (performance.now()) of the events each path answered 2xx, when `perPath`. */
  byPath: Map<string, number[]>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * How the receiver answers its `n`th request, made to `path`: after `delayMs` (0: at once), with
 * `status`; `hang` never answers (the sender's timeout ends it). Default: 200 at once.
 */
export type Behaviour = (n: number, path: string) => { delayMs: number; status: number } | 'hang';

/**
 * A receiver: answers as `behaviour` says and tallies batch elements `{"seq":n}` per path (one
 * path per webhook) of the requests it answers 2xx, counting repeats and order breaks.
 */
export async function startCountingServer(
  behaviour?: Behaviour,
  options: {
    perPath?: boolean;
    /** The application whose webhook a path is: an element `{"app"}` of another is counted as crossed. */
    appOfPath?: (path: string) => string;
  } = {},
): Promise<CountingServer> {
  let requests = 0;
  const seen = new Map<string, { max: number; set: Set<number> }>();
  const state: CountingServer = {
    url: '',
    events: 0,
    duplicates: 0,
    outOfOrder: 0,
    crossed: 0,
    firstAt: 0,
    lastAt: 0,
    arrivals: new Map(),
    byPath: new Map(),
    reset() {
      seen.clear();
      state.events = state.duplicates = state.outOfOrder = state.crossed = state.firstAt = state.lastAt = 0;
      state.arrivals.clear();
      state.byPath.clear();
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const key = req.url ?? '/';
      const answer = behaviour?.(requests++, key) ?? { delayMs: 0, status: 200 };
      if (answer === 'hang') return;
      if (answer.delayMs > 0) setTimeout(() => res.writeHead(answer.status).end('ok'), answer.delayMs);
      else res.writeHead(answer.status).end('ok');
      if (answer.status >= 300) return;
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<
        string,
        { seq?: number; id?: string; app?: string }[]
      >;
      const app = options.appOfPath?.(key);
      let track = seen.get(key);
      let times = options.perPath ? state.byPath.get(key) : undefined;
      if (options.perPath && !times) state.byPath.set(key, (times = []));
      if (!track) seen.set(key, (track = { max: -1, set: new Set() }));
      for (const list of Object.values(body)) {
        for (const e of list) {
          state.events++;
          times?.push(now);
          if (e.id !== undefined) state.arrivals.set(e.id, now);
          if (app !== undefined && e.app !== app) state.crossed++;
          if (e.seq === undefined) continue;
          if (track.set.has(e.seq)) state.duplicates++;
          else {
            if (e.seq < track.max) state.outOfOrder++;
            track.max = Math.max(track.max, e.seq);
            track.set.add(e.seq);
          }
        }
      }
      if (!state.firstAt) state.firstAt = now;
      state.lastAt = now;
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
