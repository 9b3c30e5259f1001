import { createHmac } from 'node:crypto';

/** Mautic's signature: base64(HMAC-SHA256(secret, exact raw body bytes)). */
export function mauticSignature(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export interface DeliveryHeadersInput {
  secret: string;
  body: string;
  deliveryId: string;
  contentType: string;
  publicUrl: string;
  userAgent: string;
}

/** Headers of a delivery request (SPEC "The delivery request"). */
export function deliveryHeaders(input: DeliveryHeadersInput): Record<string, string> {
  return {
    'content-type': input.contentType,
    'webhook-signature': mauticSignature(input.secret, input.body),
    'x-origin-base-url': input.publicUrl,
    'x-hookline-delivery': input.deliveryId,
    'user-agent': input.userAgent,
  };
}
