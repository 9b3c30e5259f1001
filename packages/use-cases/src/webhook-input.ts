import { isStandardSecret, type CatalogueSource, type SignatureScheme } from '@hookline/core';
import { resolvesToPrivate } from '@hookline/delivery';
import { refuse } from './outcome.js';

// The checks a webhook's settings pass before they are stored, beyond their schema.

/** Subscriptions name active types (or system types); an archived one may stay but not be added. */
export function resolveTypes(
  source: CatalogueSource,
  names: string[],
  kept: readonly string[] = [],
): string[] {
  const catalogue = source.current();
  const keep = (n: string) => kept.includes(catalogue.find(n)?.name ?? n);
  const unknown = names.filter((n) => !catalogue.resolveSubscribable(n) && !keep(n));
  if (unknown.length > 0) refuse('unknown_event_type', `Unknown event type "${unknown[0]}".`, { unknown });
  return [...new Set(names.map((n) => catalogue.resolveSubscribable(n) ?? catalogue.find(n)!.name))];
}

/** A reply type must be an active type producers could post (not a system type). */
export function replyType(source: CatalogueSource, name: string | null | undefined): string | null {
  if (name === undefined || name === null) return null;
  const resolved = source.current().resolve(name);
  if (!resolved) {
    refuse('unknown_event_type', `replyEventType: unknown or archived event type "${name}".`, {
      unknown: [name],
    });
  }
  return resolved;
}

export function checkSecret(scheme: SignatureScheme, secret: string): void {
  if (scheme === 'standard' && !isStandardSecret(secret)) {
    refuse(
      'invalid_body',
      'secret: Standard Webhooks secrets are "whsec_" plus base64 of 24+ bytes; omit it to have one generated, or call rotate-secret.',
    );
  }
}

/** A callback URL: http(s), no credentials, not private unless allowed (the SSRF guard). */
async function checkUrl(value: string, allowPrivateUrls: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse('invalid_url', `"${value}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    refuse('invalid_url', 'Webhook URLs must use http or https.');
  }
  if (url.username || url.password) {
    refuse('invalid_url', 'Put credentials in a header or the secret, not in the URL.');
  }
  if (!allowPrivateUrls) {
    const privateAddress = await resolvesToPrivate(url);
    if (privateAddress) {
      refuse(
        'invalid_url',
        `${url.hostname} resolves to ${privateAddress}, a private or reserved address (set WEBHOOK_ALLOW_PRIVATE_URLS=true for local development).`,
      );
    }
  }
  return value;
}

/** Every URL of the input checked, in order; `url` alone is a list of one. */
export async function checkedUrls(input: { url?: string; urls?: string[] }, allowPrivateUrls: boolean) {
  const urls = input.urls ?? (input.url === undefined ? [] : [input.url]);
  return Promise.all(urls.map((u) => checkUrl(u, allowPrivateUrls)));
}
