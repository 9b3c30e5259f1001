import { createHash } from 'node:crypto';

/**
 * HMAC-SHA256 written out from RFC 2104 over plain SHA-256, so signature tests do not check
 * Hookline's signer (node's createHmac) against itself.
 */
export function independentHmacSha256Base64(secret: string, message: Buffer): string {
  const blockSize = 64;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > blockSize) key = createHash('sha256').update(key).digest();
  const padded = Buffer.alloc(blockSize);
  key.copy(padded);
  const inner = Buffer.alloc(blockSize);
  const outer = Buffer.alloc(blockSize);
  for (let i = 0; i < blockSize; i++) {
    inner[i] = padded[i]! ^ 0x36;
    outer[i] = padded[i]! ^ 0x5c;
  }
  const innerHash = createHash('sha256')
    .update(Buffer.concat([inner, message]))
    .digest();
  return createHash('sha256')
    .update(Buffer.concat([outer, innerHash]))
    .digest('base64');
}
