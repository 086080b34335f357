/**
 * dgram's default lookup runs dns.lookup and a nextTick for every send. The
 * relay only ever sends to IP literals, so answer those synchronously and
 * leave anything else to the resolver.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIPv4, isIPv6 } from 'node:net';

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export function ipLiteralLookup(hostname: string, options: unknown, callback: Callback): void {
  if (isIPv4(hostname)) return callback(null, hostname, 4);
  if (isIPv6(hostname)) return callback(null, hostname, 6);
  dnsLookup(hostname, options as object, callback as never);
}
