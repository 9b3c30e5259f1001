import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createHttpClient, createSender, isPermanent, isPrivateAddress } from '@hookline/delivery';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/ok' });
      return res.end();
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      for (let i = 0; i < 10; i++) res.write(chunk); // 10 MB
      return res.end();
    }
    if (req.url === '/hang') return; // never answers
    if (req.url === '/slow-down') {
      res.writeHead(429, { 'retry-after': '7' });
      return res.end('slow down');
    }
    res.writeHead(200);
    res.end('fine');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const allowed = createSender(createHttpClient({ allowPrivateUrls: true }), { allowPrivateUrls: true });
const guarded = createSender(createHttpClient({ allowPrivateUrls: false }), { allowPrivateUrls: false });
const request = (path: string, timeoutMs = 2000) => ({
  url: `http://127.0.0.1:${port}${path}`,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: '{}',
  timeoutMs,
});

describe('sender', () => {
  it('reports a 2xx with the response snippet', async () => {
    expect(await allowed.send(request('/ok'))).toMatchObject({
      ok: true,
      statusCode: 200,
      responseSnippet: 'fine',
    });
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    const result = await allowed.send(request('/redirect'));
    expect(result).toMatchObject({ ok: false, statusCode: 302, error: 'redirect (302) not followed' });
  });

  it('reads at most 64 KiB of a 10 MB response', async () => {
    const result = await allowed.send(request('/huge'));
    expect(result).toMatchObject({ ok: true, statusCode: 200, responseBytes: 64 * 1024 });
    expect(result.responseSnippet).toBe('a'.repeat(1024)); // the log keeps a short snippet of it
  });

  it('times out a receiver that never answers', async () => {
    const result = await allowed.send(request('/hang', 300));
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(!result.ok && result.error).toMatch(/timeout/i);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('passes on Retry-After', async () => {
    expect(await allowed.send(request('/slow-down'))).toMatchObject({
      ok: false,
      statusCode: 429,
      retryAfterMs: 7000,
    });
  });

  it('reports a refused connection as a failure without a status, worth retrying', async () => {
    const result = await allowed.send({ ...request('/ok'), url: 'http://127.0.0.1:1/' });
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(!result.ok && result.error).toMatch(/ECONNREFUSED/);
    expect(!result.ok && result.permanent).toBeUndefined();
  });

  it('refuses private addresses at connect time unless allowed, literal IPs and names alike, as permanent failures', async () => {
    const literal = await guarded.send(request('/ok'));
    expect(literal).toMatchObject({ ok: false, statusCode: null, permanent: true });
    expect(!literal.ok && literal.error).toMatch(/private or reserved/);
    const named = await guarded.send({ ...request('/ok'), url: `http://localhost:${port}/ok` });
    expect(named).toMatchObject({ ok: false, statusCode: null, permanent: true });
    expect(!named.ok && named.error).toMatch(/private or reserved/);
  });

  it('an invalid URL is a permanent failure, not a crash', async () => {
    for (const url of ['http://[::1', 'not a url', 'ftp://example.com/x']) {
      const result = await allowed.send({ ...request('/ok'), url });
      expect(result).toMatchObject({ ok: false, statusCode: null, permanent: true });
      expect(!result.ok && result.error).toMatch(/^invalid URL/);
    }
  });

  it('classifies a TLS certificate for another name as permanent, transport errors as retryable', () => {
    const tls = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), {
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    // got wraps the socket error; the code is found on the wrapper or its cause.
    expect(isPermanent(Object.assign(new Error('request failed'), { cause: tls }))).toBe(true);
    expect(isPermanent(tls)).toBe(true);
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'CERT_HAS_EXPIRED', 'ENOTFOUND'])
      expect(isPermanent(Object.assign(new Error(code), { code }))).toBe(false);
  });

  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
      expect([a, isPrivateAddress(a)]).toEqual([a, false]);
  });
});
