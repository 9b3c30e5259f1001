import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks Hookline's (Mautic's) `Webhook-Signature`: base64(HMAC-SHA256(secret, raw body)).
 *
 * `rawBody` must be the exact bytes received (parse JSON only after verifying). During a secret
 * rotation the header carries one signature per secret, space-separated; any match is accepted.
 * Comparison is constant-time.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | string[] | undefined,
): boolean {
  const value = Array.isArray(header) ? header.join(' ') : header;
  if (!value) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return value
    .split(' ')
    .filter(Boolean)
    .some((candidate) => {
      const given = Buffer.from(candidate, 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
