import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startHarness, startReceiver, waitUntil, type Harness, type Receiver } from '@hookline/testing';
import { createWebhook } from '../../../test/support/fixtures.js';
import { receiverApp, type Batch } from '../examples/express-receiver.js';
import { verifyDelivery, verifyStandardWebhook, verifyWebhookSignature } from '../src/index.js';

const run = promisify(execFile);
const snippet = (name: string) => fileURLToPath(new URL(`../snippets/${name}`, import.meta.url));

// Every check here runs on a real delivery: Hookline signs and sends, the helpers verify.
describe('@hookline/verify against real deliveries', () => {
  let h: Harness;
  let capture: Receiver;

  beforeAll(async () => {
    h = await startHarness({ settings: { queueMode: 'immediate' } });
    capture = await startReceiver();
  });
  afterAll(async () => {
    await capture.close();
    await h.stop();
  });

  const webhook = (fields: Record<string, unknown>) =>
    createWebhook(h, { name: 'verify', events: ['form.submitted'], ...fields });

  async function deliverOne(payload: Record<string, unknown>) {
    const res = await h.api('POST', '/v1/events', { type: 'form.submitted', payload });
    expect(res.status).toBe(202);
  }

  async function listen(app: ReturnType<typeof receiverApp>): Promise<{ server: Server; url: string }> {
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hookline` };
  }

  it('the Express example accepts a signed batch once and refuses a tampered one with 401', async () => {
    const batches: { batch: Batch; id: string }[] = [];
    const hook = await webhook({ url: capture.url, enabled: false });
    const { server, url } = await listen(
      receiverApp({ secret: hook.secret, onBatch: (batch, id) => void batches.push({ batch, id }) }),
    );
    try {
      await h.api('PATCH', `/v1/webhooks/${hook.id}`, { url, enabled: true });
      await deliverOne({ form: { id: 7 }, email: 'a@example.com' });
      await waitUntil(() => batches.length === 1 || undefined);
      expect(batches[0]!.batch['form.submitted']![0]).toMatchObject({
        form: { id: 7 },
        email: 'a@example.com',
      });
      expect(batches[0]!.id).toMatch(/^[0-9a-f-]{36}$/);

      // A captured delivery replayed with its body changed: the signature no longer matches.
      const replay = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-signature': 'AAAA' },
        body: '{"form.submitted":[]}',
      });
      expect(replay.status).toBe(401);
      expect(await replay.json()).toEqual({ error: 'Webhook-Signature does not match the body' });
      expect(batches).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('verifyWebhookSignature checks the exact bytes, and accepts both secrets during a rotation', async () => {
    const hook = await webhook({ url: capture.url, events: ['contact.updated'] });
    await h.api('POST', '/v1/events', { type: 'contact.updated', payload: { b: 1, a: 2 } });
    const [first] = await capture.waitFor(1);
    const header = first!.headers['webhook-signature'] as string;
    expect(verifyWebhookSignature(hook.secret, first!.raw, header)).toBe(true);
    expect(verifyWebhookSignature(hook.secret, first!.body.replace('"b":1', '"b":2'), header)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0123456789', first!.raw, header)).toBe(false);
    expect(verifyWebhookSignature(hook.secret, first!.raw, undefined)).toBe(false);

    const rotated = await h.api<{ secret: string }>('POST', `/v1/webhooks/${hook.id}/rotate-secret`);
    await h.api('POST', '/v1/events', { type: 'contact.updated', payload: { c: 3 } });
    const second = (await capture.waitFor(2))[1]!;
    const signature = second.headers['webhook-signature'] as string;
    const next = second.headers['webhook-signature-next'] as string;
    // A receiver that still holds the old secret checks Webhook-Signature alone, as Mautic's
    // documentation says; one that switched early checks Webhook-Signature-Next as well.
    expect(verifyWebhookSignature(hook.secret, second.raw, signature)).toBe(true);
    expect(verifyWebhookSignature(rotated.body.secret, second.raw, signature)).toBe(false);
    expect(verifyWebhookSignature(rotated.body.secret, second.raw, signature, next)).toBe(true);
    expect(
      verifyDelivery({ headers: second.headers, body: second.raw }, { secret: rotated.body.secret }),
    ).toMatchObject({ ok: true });
  });

  it('verifyStandardWebhook checks Standard Webhooks deliveries, refusing tampering and stale timestamps', async () => {
    const before = capture.requests.length;
    const hook = await webhook({ url: capture.url, events: ['email.opened'], signature: 'standard' });
    await h.api('POST', '/v1/events', { type: 'email.opened', payload: { email: { id: 1 } } });
    const got = (await capture.waitFor(before + 1))[before]!;
    const result = verifyStandardWebhook(hook.secret, got.raw, got.headers);
    expect(result).toMatchObject({ ok: true, id: got.headers['webhook-id'] });
    expect((result as { payload: Batch }).payload['email.opened']![0]).toMatchObject({ email: { id: 1 } });

    expect(verifyStandardWebhook(hook.secret, got.body.replace('"id":1', '"id":2'), got.headers)).toEqual({
      ok: false,
      reason: 'No matching signature found',
    });
    const stale = { ...got.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) };
    expect(verifyStandardWebhook(hook.secret, got.raw, stale)).toEqual({
      ok: false,
      reason: 'Message timestamp too old',
    });
  });

  it('the Python snippet from docs/VERIFYING.md verifies a real delivery and refuses a tampered body', async () => {
    const before = capture.requests.length;
    const hook = await webhook({ url: capture.url, events: ['page.hit'] });
    await h.api('POST', '/v1/events', { type: 'page.hit', payload: { url: 'https://example.com/ü' } });
    const got = (await capture.waitFor(before + 1))[before]!;
    const python = async (body: Buffer) => {
      const child = run('python3', [
        snippet('verify_signature.py'),
        hook.secret,
        got.headers['webhook-signature'] as string,
      ]);
      child.child.stdin!.end(body);
      return child.then(
        (r) => r.stdout.trim(),
        (err: { stdout: string }) => err.stdout.trim(),
      );
    };
    expect(await python(got.raw)).toBe('valid');
    expect(await python(Buffer.concat([got.raw, Buffer.from(' ')]))).toBe('invalid');

    // docs/VERIFYING.md shows these files as they are here.
    const readme = await readFile(
      fileURLToPath(new URL('../../../docs/VERIFYING.md', import.meta.url)),
      'utf8',
    );
    const pythonFunction = (await readFile(snippet('verify_signature.py'), 'utf8')).split(
      '\n\n\nif __name__',
    )[0]!;
    expect(readme).toContain(pythonFunction.trim());
    const phpFunction = (await readFile(snippet('verify_signature.php'), 'utf8')).split('\n\n$raw')[0]!;
    expect(readme).toContain(phpFunction.replace('<?php\n', '').trim());
  });
});
