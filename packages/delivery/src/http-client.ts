import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { guardedLookup } from './private-address.js';

export interface HttpClientOptions {
  /** Allow loopback/private/link-local targets (Default: false; local development and tests). */
  allowPrivateUrls: boolean;
  /** Sockets kept per receiver host (Default: 64). */
  maxSockets?: number;
}

/** The got instance for deliveries: keep-alive, no retries of its own, no redirects, no throwing on status. */
export function createHttpClient(options: HttpClientOptions): Got {
  // Keep every socket the pool may open: closing idle ones under bursty load means reconnecting.
  const maxSockets = options.maxSockets ?? 64;
  const agentOptions = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets };
  return got.extend({
    agent: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
    followRedirect: false,
    throwHttpErrors: false,
    retry: { limit: 0 },
    decompress: true,
    ...(options.allowPrivateUrls ? {} : { dnsLookup: guardedLookup as never }),
  });
}
