import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * True for addresses a webhook must not reach unless allowed: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), unique-local, CGNAT, multicast, unspecified, reserved,
 * and IPv4 addresses hidden in IPv6 forms (::ffff:127.0.0.1).
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() !== 'unicast';
}

export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or reserved address; refused`);
  }
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup` replacement for outbound requests that refuses private answers at connect time,
 * so a hostname that was public at creation cannot be rebound to an internal address.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/** The host of a URL without IPv6 brackets. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Checks a literal IP host (which bypasses DNS lookup) against the private ranges. */
export function literalHostIsPrivate(url: URL): boolean {
  const host = urlHost(url);
  return isIP(host) !== 0 && isPrivateAddress(host);
}

/** Resolves a webhook URL's host and refuses it if any answer is private (creation-time check). */
export async function resolvesToPrivate(url: URL): Promise<string | undefined> {
  const host = urlHost(url);
  if (isIP(host)) return isPrivateAddress(host) ? host : undefined;
  if (host === 'localhost' || host.endsWith('.localhost')) return host;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(host, { all: true }, (err, found) => resolve(err ? [] : found)),
  );
  return addresses.find((a) => isPrivateAddress(a.address))?.address;
}
