import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks Hookline's (Mautic's) `Webhook-Signature`: base64(HMAC-SHA256(secret, raw body)).
 *
 * `rawBody` must be the exact bytes received (parse JSON only after verifying). During a secret
 * rotation's overlap `Webhook-Signature` is made with the old secret and `Webhook-Signature-Next`
 * with the new one: pass both headers and a receiver holding either secret verifies. Comparison
 * is constant-time.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | string[] | undefined,
  nextHeader?: string | string[] | undefined,
): boolean {
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return [header, nextHeader]
    .flatMap((h) => (Array.isArray(h) ? h : h ? [h] : []))
    .some((candidate) => {
      const given = Buffer.from(candidate.trim(), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
