/**
 * Which public port a service gets, as the seed and frp's `allowPorts` ask: inside
 * the allowed ranges, held by no other mapping, at most `maxPerPeer` per peer, the
 * requested one when it is free (refused with `port-unavailable` when not), else
 * the port the same peer's service held before (sticky, kept across restarts by
 * the caller), else a random free one. TCP and UDP ports are separate spaces.
 * Pure: whether the port can really be bound is the caller's test; a port that
 * cannot is reported back (`unbindable`) and not proposed again for a while.
 */
import { ErrorCode, P2prcError } from '../../src/protocol/errors.js';

export type PortType = 'tcp' | 'udp';
export interface PortRange {
  min: number;
  max: number;
}

/** frp's examples and most firewalls' "high ports" range: clear of 1-1023 and of the relay's default 49152-65535. */
export const DEFAULT_ALLOW_PORTS: PortRange[] = [{ min: 20000, max: 29999 }];
export const DEFAULT_MAX_PORTS_PER_PEER = 10;
/** A port that failed to bind is not proposed again for this long (another program holds it). */
export const UNBINDABLE_MS = 60_000;
/** Random picks before a linear scan of the ranges. */
const RANDOM_TRIES = 32;

/** Who holds a public port: a peer's service. */
export interface PortOwner {
  peerId: string;
  service: string;
}
const ownerKey = (o: PortOwner, type: PortType): string => `${o.peerId}/${type}/${o.service}`;
const portKey = (type: PortType, port: number): string => `${type}/${port}`;
const typeOfKey = (key: string): PortType => (key.split('/')[1] === 'udp' ? 'udp' : 'tcp');

/** Parse `20000-29999,30080` (ranges and single ports, comma-separated). */
export function parseAllowPorts(spec: string): PortRange[] {
  const ranges: PortRange[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d{1,5})(?:\s*-\s*(\d{1,5}))?\s*$/.exec(part);
    const min = Number(m?.[1]);
    const max = m?.[2] !== undefined ? Number(m[2]) : min;
    if (!m || min < 1 || max > 65535 || min > max) throw new P2prcError(ErrorCode.BadArgument, `bad port range "${part.trim()}" in --allow-ports: expected e.g. 20000-29999,30080`);
    ranges.push({ min, max });
  }
  return ranges;
}

export function describeRanges(ranges: PortRange[]): string {
  return ranges.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`)).join(',');
}

export class PortAllocator {
  /** Port held -> its owner key. */
  private readonly held = new Map<string, string>();
  /** Owner key -> the port it holds. */
  private readonly byOwner = new Map<string, number>();
  /** Ports that failed to bind -> until when they are skipped. */
  private readonly unbindableUntil = new Map<string, number>();
  private readonly size: number;
  /** Port -> the owner key whose sticky port it is (random picks leave these to their owners). */
  private readonly stickyPorts = new Map<string, string>();

  constructor(
    private readonly ranges: PortRange[] = DEFAULT_ALLOW_PORTS,
    private readonly maxPerPeer = DEFAULT_MAX_PORTS_PER_PEER,
    /** Owner key (see `stickyKey`) -> the port it held last: a returning peer's service gets it back when free. */
    private readonly sticky = new Map<string, number>(),
    private readonly random: () => number = Math.random,
  ) {
    this.size = ranges.reduce((n, r) => n + r.max - r.min + 1, 0);
    for (const [key, port] of sticky) this.stickyPorts.set(portKey(typeOfKey(key), port), key);
  }

  static stickyKey(o: PortOwner, type: PortType): string {
    return ownerKey(o, type);
  }

  allowed(port: number): boolean {
    return this.ranges.some((r) => port >= r.min && port <= r.max);
  }

  /** The port `owner` holds for its service, if any. */
  heldBy(owner: PortOwner, type: PortType): number | undefined {
    return this.byOwner.get(ownerKey(owner, type));
  }

  /** How many ports `peerId` holds. */
  countFor(peerId: string): number {
    let n = 0;
    for (const k of this.byOwner.keys()) if (k.startsWith(`${peerId}/`)) n++;
    return n;
  }

  /**
   * A port to try for `owner`: its current one, the requested one (refused with a
   * reason when it cannot be had), its sticky one when free, else a free one.
   * `now` is for the unbindable list.
   */
  propose(owner: PortOwner, type: PortType, requested: number | undefined, now: number): number | P2prcError {
    const key = ownerKey(owner, type);
    const current = this.byOwner.get(key);
    if (requested && current === requested) return current;
    if (!requested && current !== undefined) return current;
    if (current === undefined && this.countFor(owner.peerId) >= this.maxPerPeer) {
      return new P2prcError(ErrorCode.PortUnavailable, `this peer already holds ${this.maxPerPeer} public ports (--max-ports-per-peer on the proxy)`);
    }
    if (requested) {
      if (!this.allowed(requested)) return new P2prcError(ErrorCode.PortUnavailable, `${type} port ${requested} is outside the proxy's allowed ports (${describeRanges(this.ranges)})`);
      const holder = this.held.get(portKey(type, requested));
      if (holder !== undefined && holder !== key) return new P2prcError(ErrorCode.PortUnavailable, `${type} port ${requested} is taken by another mapping`);
      if ((this.unbindableUntil.get(portKey(type, requested)) ?? 0) > now) return new P2prcError(ErrorCode.PortUnavailable, `${type} port ${requested} is in use on the proxy host`);
      return requested;
    }
    const stuck = this.sticky.get(key);
    if (stuck !== undefined && this.free(type, stuck, now)) return stuck;
    for (let i = 0; i < RANDOM_TRIES; i++) {
      const p = this.nth(Math.floor(this.random() * this.size));
      const keptFor = this.stickyPorts.get(portKey(type, p));
      if (this.free(type, p, now) && (keptFor === undefined || keptFor === key)) return p;
    }
    // A scan: first a port kept for nobody else, then any free one (another peer's sticky port
    // is only a preference: it goes when nothing else is left).
    for (const r of this.ranges) {
      for (let p = r.min; p <= r.max; p++) {
        const keptFor = this.stickyPorts.get(portKey(type, p));
        if (this.free(type, p, now) && (keptFor === undefined || keptFor === key)) return p;
      }
    }
    for (const r of this.ranges) for (let p = r.min; p <= r.max; p++) if (this.free(type, p, now)) return p;
    return new P2prcError(ErrorCode.PortUnavailable, `no free ${type} port left in ${describeRanges(this.ranges)}`);
  }

  /** `owner` now holds `port` (bound); its previous port, if another, is released. */
  hold(owner: PortOwner, type: PortType, port: number): void {
    const key = ownerKey(owner, type);
    const prev = this.byOwner.get(key);
    if (prev !== undefined && prev !== port) this.held.delete(portKey(type, prev));
    this.held.set(portKey(type, port), key);
    this.byOwner.set(key, port);
    const was = this.sticky.get(key);
    if (was !== undefined && this.stickyPorts.get(portKey(type, was)) === key) this.stickyPorts.delete(portKey(type, was));
    this.sticky.set(key, port);
    this.stickyPorts.set(portKey(type, port), key);
  }

  /** `owner` gives its port up (the sticky entry stays: it gets the port back if still free). */
  release(owner: PortOwner, type: PortType): number | undefined {
    const key = ownerKey(owner, type);
    const port = this.byOwner.get(key);
    if (port === undefined) return undefined;
    this.byOwner.delete(key);
    this.held.delete(portKey(type, port));
    return port;
  }

  /** `port` could not be bound (another program holds it): skip it for UNBINDABLE_MS. */
  unbindable(type: PortType, port: number, now: number): void {
    this.unbindableUntil.set(portKey(type, port), now + UNBINDABLE_MS);
    if (this.unbindableUntil.size > 4096) {
      for (const [k, until] of this.unbindableUntil) if (until <= now) this.unbindableUntil.delete(k);
    }
  }

  /** Sticky assignments, for the caller to keep across restarts. */
  stickyEntries(): [string, number][] {
    return [...this.sticky];
  }

  private free(type: PortType, port: number, now: number): boolean {
    return this.allowed(port) && !this.held.has(portKey(type, port)) && (this.unbindableUntil.get(portKey(type, port)) ?? 0) <= now;
  }

  /** The n-th port of the ranges taken together. */
  private nth(n: number): number {
    for (const r of this.ranges) {
      const len = r.max - r.min + 1;
      if (n < len) return r.min + n;
      n -= len;
    }
    return this.ranges[0]!.min;
  }
}
