import { resolvesToPrivate } from '@hookline/delivery';
import { ApiError } from './api-error.js';

/** Checks a webhook URL at creation/update: http(s), no credentials, not private unless allowed. */
export async function checkWebhookUrl(value: string, allowPrivateUrls: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiError('invalid_url', `"${value}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError('invalid_url', 'Webhook URLs must use http or https.');
  }
  if (url.username || url.password) {
    throw new ApiError('invalid_url', 'Put credentials in a header or the secret, not in the URL.');
  }
  if (!allowPrivateUrls) {
    const privateAddress = await resolvesToPrivate(url);
    if (privateAddress) {
      throw new ApiError(
        'invalid_url',
        `${url.hostname} resolves to ${privateAddress}, a private or reserved address (set WEBHOOK_ALLOW_PRIVATE_URLS=true for local development).`,
      );
    }
  }
  return value;
}
