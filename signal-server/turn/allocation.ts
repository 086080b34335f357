/**
 * TURN allocation state (RFC 8656 §5-§12), apart from sockets: allocations by
 * client 5-tuple (and the data path's indexes by client and relay port), their
 * permissions and channel bindings with lifetimes, the quotas, and the events
 * side jobs such as the mapping log listen to. Time is passed in, so the rules
 * are testable without waiting.
 */

/** RFC 8656 §3.3/§7.2: default and maximum allocation lifetime. */
export const DEFAULT_LIFETIME_S = 600;
export const MAX_LIFETIME_S = 3600;
/** RFC 8656 §9: permissions last 300 s; §12: channel bindings 600 s. */
export const PERMISSION_LIFETIME_S = 300;
export const CHANNEL_LIFETIME_S = 600;
/** After a channel binding expires, its number and peer stay reserved this long (§12). */
export const CHANNEL_COOLDOWN_S = 300;

import type { Endpoint } from '../../src/util/endpoint.js';
export type { Endpoint };
export const epKey = (e: Endpoint): string => `${e.address}|${e.port}`;

/** How a client reaches the relay (RFC 8656 §3.1): UDP datagrams, or one TCP or TLS connection. */
export type ClientTransport = 'udp' | 'tcp' | 'tls';
/**
 * A stream client's connection, as the relay sees it: `send` writes one frame
 * (a STUN message, or ChannelData that it pads to 4 bytes) and returns false
 * when the frame was dropped because the connection's backlog is full; `end`
 * closes it (its allocation is gone).
 */
export interface ClientStream {
  readonly transport: 'tcp' | 'tls';
  send(frame: Buffer | readonly Buffer[]): boolean;
  end(): void;
}
/** A client's 5-tuple. Over TCP or TLS the connection is the 5-tuple: `stream` is set, and replies go back on it. */
export interface Client extends Endpoint {
  readonly stream?: ClientStream;
}
export const clientTransport = (c: Client): ClientTransport => c.stream?.transport ?? 'udp';
/** An allocation's key: its client's 5-tuple (transport, address, port; one server address per transport). The only place it is built. */
export const allocKey = (client: Client): string => `${clientTransport(client)}|${client.address}|${client.port}`;

/**
 * Why the data path dropped a datagram of an allocation: counted per allocation
 * (in its "allocation freed" line) and summed in TurnStats, so a session that
 * stalls on a relayed pair shows whether the relay ate its packets.
 *   noPermissionOut  client -> peer, no permission for the peer's address
 *   noPermissionIn   peer -> client, no permission for the sender's address
 *   unknownChannel   ChannelData on a channel not bound (or expired)
 *   refusedPeer      Send to a peer the peer policy refuses (a permission covers every port)
 *   overBandwidth    over the allocation's bandwidth cap, either way
 *   peerGone         to a relay port of this server whose allocation is gone
 *   clientBacklog    peer -> client over TCP/TLS while the connection's send backlog is full
 */
export const DROP_REASONS = ['noPermissionOut', 'noPermissionIn', 'unknownChannel', 'refusedPeer', 'overBandwidth', 'peerGone', 'clientBacklog'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type DropCounts = Record<DropReason, number>;

export function noDrops(): DropCounts {
  return { noPermissionOut: 0, noPermissionIn: 0, unknownChannel: 0, refusedPeer: 0, overBandwidth: 0, peerGone: 0, clientBacklog: 0 };
}

/** `reason=n` for each reason that dropped anything, or undefined when none did. */
export function formatDrops(d: DropCounts): string | undefined {
  const parts = DROP_REASONS.filter((r) => d[r] > 0).map((r) => `${r}=${d[r]}`);
  return parts.length ? parts.join(' ') : undefined;
}

export interface ChannelBinding {
  channel: number;
  peer: Endpoint;
  expiresAt: number;
}

export class Allocation<H = unknown> {
  readonly key: string;
  readonly client: Client;
  readonly username: string;
  /** The peer id the credential was issued to (REST username suffix). */
  readonly user: string;
  readonly relay: Endpoint;
  readonly handle: H;
  readonly createdAt: number;
  expiresAt: number;
  readonly permissions = new Map<string, number>();
  readonly channels = new Map<number, ChannelBinding>();
  readonly channelByPeer = new Map<string, number>();
  bytesToPeer = 0;
  /** Datagrams the data path dropped, by reason (the first of each is logged). */
  readonly drops: DropCounts = noDrops();
  bytesFromPeer = 0;
  packetsToPeer = 0;
  packetsFromPeer = 0;
  /** Transaction id of the Allocate that created it, to answer retransmissions (§7.2). */
  readonly transactionId: string;
  rowId?: string;

  constructor(o: { key: string; client: Client; username: string; user: string; relay: Endpoint; handle: H; now: number; lifetimeS: number; transactionId: string }) {
    this.key = o.key;
    this.client = o.client;
    this.username = o.username;
    this.user = o.user;
    this.relay = o.relay;
    this.handle = o.handle;
    this.createdAt = o.now;
    this.expiresAt = o.now + o.lifetimeS * 1000;
    this.transactionId = o.transactionId;
  }

  refresh(now: number, lifetimeS: number): void {
    this.expiresAt = now + lifetimeS * 1000;
  }

  /** Permissions are per peer IP address, ports ignored (§9). */
  addPermission(address: string, now: number): void {
    this.permissions.set(address, now + PERMISSION_LIFETIME_S * 1000);
  }

  hasPermission(address: string, now: number): boolean {
    const exp = this.permissions.get(address);
    return exp !== undefined && exp > now;
  }

  /**
   * Bind `channel` to `peer` or refresh the binding (§12). A channel number
   * bound to another peer, or a peer bound to another number, is an error.
   */
  bindChannel(channel: number, peer: Endpoint, now: number): { ok: true } | { ok: false; reason: string } {
    const existing = this.channels.get(channel);
    const k = epKey(peer);
    const peerChannel = this.channelByPeer.get(k);
    if (existing && epKey(existing.peer) !== k) return { ok: false, reason: `channel 0x${channel.toString(16)} is bound to another peer` };
    if (peerChannel !== undefined && peerChannel !== channel) return { ok: false, reason: `peer is bound to channel 0x${peerChannel.toString(16)}` };
    this.channels.set(channel, { channel, peer, expiresAt: now + CHANNEL_LIFETIME_S * 1000 });
    this.channelByPeer.set(k, channel);
    // A channel binding also installs or refreshes the permission for the peer's IP (§12.2).
    this.addPermission(peer.address, now);
    return { ok: true };
  }

  /**
   * Channel for data from `peer`, if bound and live. Called for every datagram a
   * peer sends to the relay port, nearly always from the same peer: the binding it
   * found last is reused without building a key while it is still the one in force
   * (a refresh or a new binding puts a new object in `channels`).
   */
  channelFor(peer: Endpoint, now: number): number | undefined {
    const last = this.lastFor;
    let b: ChannelBinding | undefined;
    if (last !== undefined && last.port === peer.port && last.address === peer.address && this.channels.get(last.binding.channel) === last.binding) {
      b = last.binding;
    } else {
      const c = this.channelByPeer.get(epKey(peer));
      if (c === undefined) return undefined;
      b = this.channels.get(c);
      if (b === undefined) return undefined;
      this.lastFor = { address: peer.address, port: peer.port, binding: b };
    }
    return b.expiresAt > now ? b.channel : undefined;
  }
  private lastFor?: { address: string; port: number; binding: ChannelBinding };

  /** Peer of a live channel binding. */
  peerFor(channel: number, now: number): Endpoint | undefined {
    const b = this.channels.get(channel);
    return b && b.expiresAt > now ? b.peer : undefined;
  }

  /** Drop expired permissions and (after their cool-down) channel bindings. */
  sweep(now: number): void {
    for (const [addr, exp] of this.permissions) if (exp <= now) this.permissions.delete(addr);
    for (const [c, b] of this.channels) {
      if (b.expiresAt + CHANNEL_COOLDOWN_S * 1000 <= now) {
        this.channels.delete(c);
        this.channelByPeer.delete(epKey(b.peer));
      }
    }
  }
}

export interface Quotas {
  /** Allocations one user (peer id) may hold at once. */
  perUser: number;
  /** Allocations on the whole server. */
  total: number;
  /**
   * Allocations from one client IP address at once (0: no limit; omitted:
   * defaultPerIpQuota(total)). Identities are free, so a per-user quota alone
   * lets one host fill the server with a few of them.
   */
  perIp?: number;
}

/** The per-IP quota's ceiling when none is given: enough for a busy NAT'd office, far from a whole server. */
export const DEFAULT_MAX_ALLOCATIONS_PER_IP = 100;

/** Per-IP quota by default: half the server (one address never holds all of it), at most DEFAULT_MAX_ALLOCATIONS_PER_IP. */
export function defaultPerIpQuota(total: number): number {
  return Math.min(DEFAULT_MAX_ALLOCATIONS_PER_IP, Math.max(1, Math.floor(total / 2)));
}

/**
 * Hooks on the table's allocations, as pion/turn's EventHandlers: side jobs
 * (the mapping log) listen here instead of sitting in the handlers. Never
 * called per packet.
 */
export interface AllocationListener<H = unknown> {
  /** Added to the table. */
  created?(a: Allocation<H>): void;
  /** Once per sweep for each live allocation: its byte counters may have moved. */
  counters?(a: Allocation<H>): void;
  /** Removed from the table (freed, expired or deallocated); its counters are final. */
  deleted?(a: Allocation<H>): void;
}

export class AllocationTable<H = unknown> {
  private readonly byKey = new Map<string, Allocation<H>>();
  private readonly byUser = new Map<string, Set<Allocation<H>>>();
  /** How many allocations each client IP holds (the per-IP quota). */
  private readonly byIp = new Map<string, number>();
  /** Allocations by relay port: traffic from one of our allocations to another is delivered in process. */
  private readonly byRelayPort = new Map<number, Allocation<H>>();
  /** The data path's lookup for UDP clients: allocation by client port (its address is checked too). */
  private readonly byClientPort = new Map<number, Allocation<H>>();
  private readonly listeners: AllocationListener<H>[] = [];
  private readonly perIp: number;
  constructor(readonly quotas: Quotas) {
    this.perIp = quotas.perIp ?? defaultPerIpQuota(quotas.total);
  }

  listen(l: AllocationListener<H>): void {
    this.listeners.push(l);
  }

  get size(): number {
    return this.byKey.size;
  }
  get(key: string): Allocation<H> | undefined {
    return this.byKey.get(key);
  }
  /** The allocation of `client`'s 5-tuple. The data path's lookup: by port first, so no key string is built per packet. */
  find(client: Client): Allocation<H> | undefined {
    if (client.stream) return this.byKey.get(allocKey(client));
    const byPort = this.byClientPort.get(client.port);
    return byPort && byPort.client.address === client.address ? byPort : this.byKey.get(allocKey(client));
  }
  /** The allocation relaying on `port` of this server. */
  atRelayPort(port: number): Allocation<H> | undefined {
    return this.byRelayPort.get(port);
  }
  all(): Allocation<H>[] {
    return [...this.byKey.values()];
  }
  ofUser(user: string): Allocation<H>[] {
    return [...(this.byUser.get(user) ?? [])];
  }

  /** Allocations held from client address `ip`. */
  ofIp(ip: string): number {
    return this.byIp.get(ip) ?? 0;
  }

  /** Undefined when a new allocation for `user` from client address `ip` fits the quotas, else why not. */
  quotaProblem(user: string, ip?: string): string | undefined {
    if (this.byKey.size >= this.quotas.total) return `server allocation quota (${this.quotas.total}) reached`;
    if ((this.byUser.get(user)?.size ?? 0) >= this.quotas.perUser) return `per-user allocation quota (${this.quotas.perUser}) reached for ${user}`;
    if (ip !== undefined && this.perIp > 0 && this.ofIp(ip) >= this.perIp) return `per-IP allocation quota (${this.perIp}) reached for ${ip}`;
    return undefined;
  }

  add(a: Allocation<H>): void {
    this.byKey.set(a.key, a);
    let set = this.byUser.get(a.user);
    if (!set) this.byUser.set(a.user, (set = new Set()));
    set.add(a);
    this.byIp.set(a.client.address, this.ofIp(a.client.address) + 1);
    if (!a.client.stream) this.byClientPort.set(a.client.port, a);
    this.byRelayPort.set(a.relay.port, a);
    for (const l of this.listeners) l.created?.(a);
  }

  remove(a: Allocation<H>): boolean {
    if (this.byKey.get(a.key) !== a) return false;
    this.byKey.delete(a.key);
    const set = this.byUser.get(a.user);
    set?.delete(a);
    if (set?.size === 0) this.byUser.delete(a.user);
    const n = this.ofIp(a.client.address) - 1;
    if (n > 0) this.byIp.set(a.client.address, n);
    else this.byIp.delete(a.client.address);
    if (this.byClientPort.get(a.client.port) === a) this.byClientPort.delete(a.client.port);
    this.byRelayPort.delete(a.relay.port);
    for (const l of this.listeners) l.deleted?.(a);
    return true;
  }

  /** Allocations past their lifetime (the caller frees their sockets). */
  expired(now: number): Allocation<H>[] {
    return this.all().filter((a) => a.expiresAt <= now);
  }

  /** Housekeeping: expired permissions and channels of every allocation dropped, then its counters reported. */
  sweep(now: number): void {
    for (const a of this.all()) {
      a.sweep(now);
      for (const l of this.listeners) l.counters?.(a);
    }
  }
}
