/**
 * Port prediction planning and the probe datagrams (pure: no sockets, no timers).
 *
 * A NAT with address-dependent mapping (symmetric: a new public port per
 * destination) cannot be reached through its STUN-learned port, and a peer
 * behind an endpoint-independent NAT with a filter drops the symmetric side's
 * fresh ports. The "birthday" punch (as Tailscale does it) still finds a path:
 * the hard side opens many sockets that all send to the easy side's one mapped
 * port, and the easy side sends from that port to many random ports of the hard
 * side's public address. With n sockets and m probes over the 64512 ports a NAT
 * picks from, a probe meets an open mapping with probability 1 - (1 - n/64512)^m
 * (256 and 2048: 99.97 %). The working 5-tuple is then handed to ICE: both
 * PeerConnections bind the punched local ports and the easy side adds the hard
 * side's punched public port as a remote candidate.
 */
import type { NatInfo } from '../protocol/messages.js';

export type PunchRole = 'easy' | 'hard';

/** Ports a NAT allocates from (Linux: 1024-65535 for unprivileged source ports). */
export const NAT_PORT_MIN = 1024;
export const NAT_PORT_MAX = 65535;

/** The easy side's spray: probes per round and rounds (2048 over 3 rounds: see the odds above). */
export const SPRAY_PROBES = 2048;
export const SPRAY_ROUNDS = 3;
/** The hard side's sockets, and how many times each probes the easy side's one endpoint. */
export const HARD_SOCKETS = 256;
export const HARD_ROUNDS = 12;
/** Acks (hard side) and confirms (easy side) sent for a hit. */
export const HIT_REPEATS = 3;

/** The most datagrams one run of `role` sends with the default sizes: what a punch is charged against the budget. */
export function punchCost(role: PunchRole): number {
  return role === 'easy' ? SPRAY_PROBES * SPRAY_ROUNDS + HIT_REPEATS : HARD_SOCKETS * HARD_ROUNDS + HIT_REPEATS;
}

/**
 * Why the address a `hard` or `easy` step names must not be sent to, or
 * undefined when it may. Only an address proven to be the other peer's is
 * sprayed: the signal server stamps every relayed signal with the sender's IP as
 * it sees it (`fromIp`), and behind a NAT that is the NAT's public address, the
 * one the peer's punch socket maps to (the same server's STUN saw it). Anything
 * else would let a peer aim our probes at a third party (issue #8: a flood cannon).
 */
export function sprayTargetProblem(address: string | undefined, fromIp: string | undefined): string | undefined {
  if (!address) return 'no address';
  if (!fromIp) return `the signal server did not say where this message came from, so ${address} is not known to be the peer's`;
  if (address !== fromIp) return `${address} is not the peer's address (the signal server saw it at ${fromIp})`;
  return undefined;
}

/** Address-dependent mapping: the public port changes per destination. */
export function isHard(n: NatInfo | undefined): boolean {
  return !!n && n.natted && (n.mapping === 'address-dependent' || n.mapping === 'address-and-port-dependent');
}

/**
 * One public port per local socket (or no NAT) behind a filter that drops what it
 * has not sent to. With open filtering a symmetric peer's checks get through by
 * themselves (ICE learns a peer-reflexive candidate), so no punch is needed.
 */
export function isEasy(n: NatInfo | undefined): boolean {
  return !!n && n.mapping === 'endpoint-independent' && n.filtering !== 'endpoint-independent' && n.filtering !== 'unknown';
}

/** Our role in a punch with `remote`, or undefined when ICE alone will do (or nothing can). */
export function planPunch(local: NatInfo | undefined, remote: NatInfo | undefined): PunchRole | undefined {
  if (isHard(local) && isEasy(remote)) return 'hard';
  if (isEasy(local) && isHard(remote)) return 'easy';
  return undefined;
}

/** Probability that `probes` random ports meet one of `sockets` open mappings. */
export function hitProbability(sockets: number, probes: number, space = NAT_PORT_MAX - NAT_PORT_MIN + 1): number {
  return 1 - Math.pow(1 - sockets / space, probes);
}

// ---- probe datagrams ----
// "P2PRC-PUNCH1" | kind (1 byte) | token (16 bytes). The first byte (0x50) is neither
// STUN (0-3) nor DTLS (20-63), so a late probe that reaches the port ICE now holds is dropped.
const MAGIC = Buffer.from('P2PRC-PUNCH1', 'ascii');
export const TOKEN_BYTES = 16;
export const PROBE_BYTES = MAGIC.length + 1 + TOKEN_BYTES;
/** probe: easy -> hard ports and hard -> easy; ack: the hit socket answers; confirm: the easy side got it. */
export type ProbeKind = 'probe' | 'ack' | 'confirm';
const KINDS: ProbeKind[] = ['probe', 'ack', 'confirm'];

export function encodeProbe(kind: ProbeKind, token: Uint8Array): Buffer {
  if (token.length !== TOKEN_BYTES) throw new RangeError(`punch token must be ${TOKEN_BYTES} bytes`);
  return Buffer.concat([MAGIC, Buffer.of(KINDS.indexOf(kind)), token]);
}

/** The probe's kind when `buf` is a probe carrying `token`; undefined for anything else. */
export function decodeProbe(buf: Uint8Array, token: Uint8Array): ProbeKind | undefined {
  if (buf.length !== PROBE_BYTES) return undefined;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.length);
  if (!b.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const kind = KINDS[b[MAGIC.length]!];
  if (!kind || !b.subarray(MAGIC.length + 1).equals(Buffer.from(token))) return undefined;
  return kind;
}

/**
 * `count` distinct ports from [min, max] minus `exclude`, in random order (the
 * easy side's spray): a partial Fisher-Yates shuffle, so it is bounded whatever
 * `random` returns ([0, 1); injectable for tests).
 */
export function sprayPorts(count: number, exclude: ReadonlySet<number> = new Set(), random: () => number = Math.random, min = NAT_PORT_MIN, max = NAT_PORT_MAX): number[] {
  const pool: number[] = [];
  for (let p = min; p <= max; p++) if (!exclude.has(p)) pool.push(p);
  const n = Math.max(0, Math.min(count, pool.length));
  for (let i = 0; i < n; i++) {
    const j = i + Math.min(pool.length - i - 1, Math.floor(random() * (pool.length - i)));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, n);
}
