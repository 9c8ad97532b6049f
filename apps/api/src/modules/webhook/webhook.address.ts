import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Address ranges a webhook must not reach in production: loopback, private, link-local,
 * unique-local, and the special ranges around them (unspecified, shared CGNAT, benchmark,
 * multicast, reserved). IPv4 rules also match IPv4-mapped IPv6 addresses (::ffff:10.0.0.1).
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including cloud metadata endpoints
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed privately)
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for an IP address on the public internet; false for any other address or a non-address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL as DNS or an IP parser takes it: `[::1]` becomes `::1`. */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Why a host is refused; the same words at creation and at delivery. */
export function refusal(host: string, address: string): Error {
  const what = host === address ? host : `${host} resolves to ${address}, which`;
  return new Error(`${what} is a loopback, private or link-local address; set PEDIGREE_WEBHOOK_ALLOW_PRIVATE=true to allow it`);
}

/** Every address the host resolves to (itself, for an IP literal). */
export async function resolveHost(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses.map((entry) => entry.address)))),
  );
}

/** Throws unless every address the URL's host resolves to is public. */
export async function assertPublicHost(url: URL): Promise<void> {
  const host = urlHost(url);
  for (const address of await resolveHost(host)) {
    if (!isPublicAddress(address)) throw refusal(host, address);
  }
}

/**
 * A DNS lookup for outgoing requests that refuses non-public addresses. The connection uses the
 * addresses this lookup checked, so a host cannot pass the check and then rebind to a private one.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) return callback(refusal(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};
