/**
 * Which peer addresses the relay may send to (pure). Defaults follow coturn's
 * hardening advice: no relaying into loopback, private, link-local, CGNAT,
 * multicast or unspecified ranges (the relay must not become a door into the
 * server's own network), and never to the server's own non-relay ports.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Strip an IPv4-mapped IPv6 prefix (::ffff:1.2.3.4). */
export function normalizeAddress(address: string): string {
  if (address.charCodeAt(0) !== 58 /* ':' */) return address; // hot path: plain IPv4
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

export function isPrivateAddress(address: string): boolean {
  const a = normalizeAddress(address);
  if (isIPv4(a)) return PRIVATE.check(a, 'ipv4');
  if (isIPv6(a)) return PRIVATE.check(a, 'ipv6');
  return true; // not an IP at all: never relay there
}

export interface PeerPolicy {
  allowPrivatePeers: boolean;
  /** Addresses of this server (relay address, listen addresses). */
  ownAddresses: Set<string>;
  /** This server's own non-relay ports (signalling, STUN/TURN). */
  ownPorts: Set<number>;
  relayPorts: { min: number; max: number };
  /**
   * Whether a port of this server is one of its live allocations. When given, a
   * peer on this server's own address must be one (relaying between two of our
   * allocations), not any port of the range where another service may listen.
   */
  isAllocation?: (port: number) => boolean;
}

export type PeerVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Addresses that are never a peer, whatever the policy: the unspecified address
 * (Linux delivers datagrams sent to 0.0.0.0 to loopback, so it would open the
 * host's loopback-only services) and the limited broadcast address.
 */
const NEVER = new Set(['0.0.0.0', '::', '255.255.255.255']);

export function checkPeer(policy: PeerPolicy, address: string, port: number): PeerVerdict {
  const a = normalizeAddress(address);
  if (NEVER.has(a)) return { ok: false, reason: `peer ${a} is the unspecified or broadcast address` };
  const own = policy.ownAddresses.has(a) || (a === '127.0.0.1' && policy.allowPrivatePeers && policy.ownAddresses.has('0.0.0.0'));
  if (own && policy.ownPorts.has(port)) return { ok: false, reason: `peer ${a}:${port} is one of this server's own service ports` };
  if (own && (port < policy.relayPorts.min || port > policy.relayPorts.max)) {
    return { ok: false, reason: `peer ${a}:${port} is this server outside its relay port range` };
  }
  if (own && policy.isAllocation && !policy.isAllocation(port)) {
    return { ok: false, reason: `peer ${a}:${port} is this server but not one of its allocations` };
  }
  if (!own && !policy.allowPrivatePeers && isPrivateAddress(a)) {
    return { ok: false, reason: `peer ${a} is in a private, loopback or link-local range (--allow-private-peers to permit)` };
  }
  if (port === 0) return { ok: false, reason: 'peer port 0' };
  return { ok: true };
}
