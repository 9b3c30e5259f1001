import { createHmac, randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { SignatureScheme } from './webhook.js';

/** Mautic's signature: base64(HMAC-SHA256(secret, exact raw body bytes)). */
export function mauticSignature(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** A new secret: 32 random bytes as hex (Mautic scheme) or `whsec_<base64>` (Standard Webhooks). */
export function generateSecret(scheme: SignatureScheme, random: (n: number) => Buffer = randomBytes): string {
  return scheme === 'standard' ? `whsec_${random(32).toString('base64')}` : random(32).toString('hex');
}

/** A Standard Webhooks secret is `whsec_` and base64 of at least 24 bytes. */
export function isStandardSecret(secret: string): boolean {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : undefined;
  return b64 !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && Buffer.from(b64, 'base64').length >= 24;
}

export interface DeliveryHeadersInput {
  secret: string;
  /** The secret before a rotation, while its overlap lasts: it signs too. */
  previousSecret?: string | null;
  scheme: SignatureScheme;
  body: string;
  deliveryId: string;
  contentType: string;
  publicUrl: string;
  userAgent: string;
  /** Hookline deliveries that led to this request, this one included (loop protection). */
  hops: number;
  now: Date;
  /** The webhook's own headers; ours win on a clash so a signature cannot be spoofed. */
  extra?: Record<string, string> | null;
}

export const HOPS_HEADER = 'x-hookline-hops';
/** Hookline-to-Hookline chains (and reply events) stop at this many hops: loop protection. */
export const MAX_HOPS = 5;
/** Mautic scheme, during a rotation's overlap: the signature made with the new secret. */
const NEXT_SIGNATURE_HEADER = 'webhook-signature-next';

/**
 * Headers of a delivery request (SPEC "The delivery request").
 *
 * Mautic scheme: `Webhook-Signature` is always exactly one base64 HMAC, since receivers written
 * from Mautic's documentation compare the header to their own HMAC as a whole. During a
 * rotation's overlap it is made with the previous secret, the one every receiver not yet updated
 * holds, and the new secret's signature travels in `Webhook-Signature-Next`; a receiver switches
 * to the new secret by checking that header until the overlap ends. Standard Webhooks lists both
 * signatures, space-separated, as that scheme defines.
 */
export function deliveryHeaders(input: DeliveryHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.extra ?? {})) headers[k.toLowerCase()] = v;
  Object.assign(headers, {
    'content-type': input.contentType,
    'x-origin-base-url': input.publicUrl,
    'x-hookline-delivery': input.deliveryId,
    [HOPS_HEADER]: String(input.hops),
    'user-agent': input.userAgent,
  });
  if (input.scheme === 'standard') {
    headers['webhook-id'] = input.deliveryId;
    headers['webhook-timestamp'] = String(Math.floor(input.now.getTime() / 1000));
    headers['webhook-signature'] = [input.secret, ...(input.previousSecret ? [input.previousSecret] : [])]
      .map((s) => new StandardWebhook(s).sign(input.deliveryId, input.now, input.body))
      .join(' ');
  } else if (input.previousSecret) {
    headers['webhook-signature'] = mauticSignature(input.previousSecret, input.body);
    headers[NEXT_SIGNATURE_HEADER] = mauticSignature(input.secret, input.body);
  } else {
    headers['webhook-signature'] = mauticSignature(input.secret, input.body);
  }
  return headers;
}
