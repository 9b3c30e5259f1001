import { Webhook as StandardWebhook } from 'standardwebhooks';
import { mauticSignature } from './signature.js';
import type { SignatureScheme } from './webhook.js';

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
