import { createHmac, randomBytes } from 'node:crypto';
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
