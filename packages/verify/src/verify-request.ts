import { verifyStandardWebhook, type HeaderBag } from './standard-webhook.js';
import { verifyWebhookSignature } from './webhook-signature.js';

export interface VerifyOptions {
  /** The webhook's secret (`whsec_…` for Standard Webhooks). */
  secret: string;
  /** The webhook's `signature` setting (Default: `mautic`). */
  scheme?: 'mautic' | 'standard';
}

/** The little of an HTTP request this needs (Express, Fastify, node:http with a read body). */
export interface RawRequest {
  headers: HeaderBag;
  /** The exact body bytes, as `express.raw()` leaves them (a Buffer), or a string. */
  body: unknown;
}

export type Verification = { ok: true; deliveryId: string | undefined } | { ok: false; reason: string };

/** Verifies one incoming Hookline delivery with the webhook's scheme. */
export function verifyDelivery(req: RawRequest, options: VerifyOptions): Verification {
  if (!Buffer.isBuffer(req.body) && typeof req.body !== 'string') {
    return { ok: false, reason: 'the raw body is needed (use express.raw, not express.json)' };
  }
  const raw = req.body;
  const one = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (options.scheme === 'standard') {
    const result = verifyStandardWebhook(options.secret, raw, req.headers);
    return result.ok ? { ok: true, deliveryId: result.id } : result;
  }
  const signature = req.headers['webhook-signature'];
  return verifyWebhookSignature(options.secret, raw, signature, req.headers['webhook-signature-next'])
    ? { ok: true, deliveryId: one('x-hookline-delivery') }
    : { ok: false, reason: 'Webhook-Signature does not match the body' };
}

interface MinimalResponse {
  status(code: number): { json(body: unknown): unknown };
}

/**
 * Express middleware: answers 401 unless the delivery verifies, else parses the JSON body into
 * `req.body` and calls `next()`. Mount it after `express.raw()` (any content type), never after
 * `express.json()`: re-serialised JSON is not the bytes that were signed.
 */
export function hooklineWebhook(options: VerifyOptions) {
  return (req: RawRequest, res: MinimalResponse, next: (err?: unknown) => void): void => {
    const result = verifyDelivery(req, options);
    if (!result.ok) {
      res.status(401).json({ error: result.reason });
      return;
    }
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : String(req.body);
    const contentType = String(req.headers['content-type'] ?? '');
    try {
      if (contentType.startsWith('application/json')) req.body = JSON.parse(text);
    } catch (err) {
      return next(err);
    }
    next();
  };
}
