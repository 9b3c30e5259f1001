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
  /** Current secret first; during a rotation the previous one too, so both signatures go out. */
  secrets: readonly string[];
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

/**
 * Headers of a delivery request (SPEC "The delivery request"). With several secrets the signature
 * header lists one signature per secret, space-separated, as Standard Webhooks does.
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
    headers['webhook-signature'] = input.secrets
      .map((s) => new StandardWebhook(s).sign(input.deliveryId, input.now, input.body))
      .join(' ');
  } else {
    headers['webhook-signature'] = input.secrets.map((s) => mauticSignature(s, input.body)).join(' ');
  }
  return headers;
}
