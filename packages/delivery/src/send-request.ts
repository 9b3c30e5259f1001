import type { Got } from 'got';
import { parseRetryAfter } from '@hookline/core';
import { literalHostIsPrivate, PrivateAddressError, urlHost } from './private-address.js';

/** Response bodies are read up to this many bytes (SPEC: 64 KiB); the rest is discarded. */
const RESPONSE_CAP_BYTES = 64 * 1024;
/** Characters of the response kept in the delivery log. */
const SNIPPET_CHARS = 1024;

export interface OutboundRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type SendResult =
  | {
      ok: true;
      statusCode: number;
      durationMs: number;
      responseSnippet: string;
      responseBytes: number;
      /** The whole reply, when it is `application/json` and under the cap (reply events). */
      replyJson?: string;
    }
  | {
      ok: false;
      /** null when no response arrived (timeout, refused, reset, private address). */
      statusCode: number | null;
      durationMs: number;
      responseSnippet: string | null;
      /** Bytes of the response body read (at most RESPONSE_CAP_BYTES). */
      responseBytes?: number;
      error: string;
      retryAfterMs?: number;
      /** No retry can succeed (private address, invalid URL, TLS name mismatch): fail at once. */
      permanent?: true;
    };

export interface Sender {
  send(request: OutboundRequest): Promise<SendResult>;
}

/**
 * Sends one delivery request as hostile-input code: timeout, no redirects, capped read, and
 * private addresses refused (literal IPs here, resolved names by the client's guarded lookup).
 * Never throws: every outcome is a SendResult.
 */
export function createSender(client: Got, options: { allowPrivateUrls: boolean }): Sender {
  return {
    async send(request) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const refuse = (error: string): SendResult => ({
        ok: false,
        statusCode: null,
        durationMs: elapsed(),
        responseSnippet: null,
        error,
        permanent: true,
      });
      if (!URL.canParse(request.url)) return refuse(`invalid URL: ${JSON.stringify(request.url)}`);
      const url = new URL(request.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return refuse(`invalid URL: ${url.protocol} is not http or https`);
      if (!options.allowPrivateUrls && literalHostIsPrivate(url))
        return refuse(new PrivateAddressError(urlHost(url), urlHost(url)).message);
      let statusCode: number | null = null;
      let retryAfter: string | undefined;
      let contentType: string | undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        const stream = client.stream(url, {
          method: request.method,
          headers: request.headers,
          body: request.method === 'GET' ? undefined : request.body,
          timeout: { request: request.timeoutMs },
        });
        stream.on('response', (res: { statusCode: number; headers: Record<string, string | undefined> }) => {
          statusCode = res.statusCode;
          retryAfter = res.headers['retry-after'];
          contentType = res.headers['content-type'];
        });
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          const room = RESPONSE_CAP_BYTES - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += chunk.length;
          if (size >= RESPONSE_CAP_BYTES) break; // leaving the loop destroys the stream
        }
      } catch (err) {
        const message = describeError(err);
        if (statusCode === null && isPermanent(err)) return refuse(message);
        const responseSnippet = chunks.length ? snippet(chunks) : null;
        return {
          ok: false,
          statusCode,
          durationMs: elapsed(),
          responseSnippet,
          error: statusCode === null ? message : `response interrupted: ${message}`,
        };
      }
      const durationMs = elapsed();
      const responseSnippet = snippet(chunks);
      const code = statusCode ?? 0;
      const responseBytes = Math.min(size, RESPONSE_CAP_BYTES);
      if (code >= 200 && code < 300) {
        const json =
          /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType ?? '') && size < RESPONSE_CAP_BYTES;
        return {
          ok: true,
          statusCode: code,
          durationMs,
          responseSnippet,
          responseBytes,
          ...(json ? { replyJson: Buffer.concat(chunks).toString('utf8') } : {}),
        };
      }
      const retryAfterMs = parseRetryAfter(retryAfter, new Date());
      return {
        ok: false,
        statusCode: code,
        durationMs,
        responseSnippet,
        responseBytes,
        error: code >= 300 && code < 400 ? `redirect (${code}) not followed` : `HTTP ${code}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      };
    },
  };
}

function snippet(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8').slice(0, SNIPPET_CHARS);
}

/**
 * TLS errors that mean the receiver's certificate is for another name: a configuration mistake
 * that no retry fixes. (An expired certificate may be renewed within the retry schedule, so it
 * is retried like any other transport error.)
 */
const PERMANENT_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'EPRIVATEADDRESS', 'ERR_INVALID_URL']);

/** True when the error can only repeat on retry (see PERMANENT_CODES and private addresses). */
export function isPermanent(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (e instanceof PrivateAddressError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PERMANENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: string }).code;
  if (code === 'ETIMEDOUT' || err.name === 'TimeoutError') return `timeout: ${err.message}`;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof PrivateAddressError) return cause.message;
  return code ? `${code}: ${err.message}` : err.message;
}
