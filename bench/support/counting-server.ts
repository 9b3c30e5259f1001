import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface CountingServer {
  url: string;
  /** Events received (batch elements), and distinct per webhook path. */
  events: number;
  duplicates: number;
  outOfOrder: number;
  firstAt: number;
  lastAt: number;
  /** Arrival time (performance.now()) by payload `id`, for latency runs. */
  arrivals: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A fast receiver: answers 200 at once and tallies batch elements `{"seq":n}` per path
 * (one path per webhook), counting repeats and order breaks.
 */
export async function startCountingServer(
  /** How long the receiver takes to answer its `n`th request, in ms (Default: at once). */
  delayMs?: (n: number) => number,
): Promise<CountingServer> {
  let requests = 0;
  const seen = new Map<string, { max: number; set: Set<number> }>();
  const state: CountingServer = {
    url: '',
    events: 0,
    duplicates: 0,
    outOfOrder: 0,
    firstAt: 0,
    lastAt: 0,
    arrivals: new Map(),
    reset() {
      seen.clear();
      state.events = state.duplicates = state.outOfOrder = state.firstAt = state.lastAt = 0;
      state.arrivals.clear();
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
      const delay = delayMs?.(requests++) ?? 0;
      if (delay > 0) setTimeout(() => res.writeHead(200).end('ok'), delay);
      else res.writeHead(200).end('ok');
      const body = JSON.parse(Buffer.concat(chunks).toString()) as Record<
        string,
        { seq?: number; id?: string }[]
      >;
      const key = req.url ?? '/';
      let track = seen.get(key);
      if (!track) seen.set(key, (track = { max: -1, set: new Set() }));
      for (const list of Object.values(body)) {
        for (const e of list) {
          state.events++;
          if (e.id !== undefined) state.arrivals.set(e.id, now);
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
