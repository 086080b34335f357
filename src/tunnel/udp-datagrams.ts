/**
 * The pure parts of carrying UDP over data channels (no sockets, no timers):
 * limits, the channel settings, the bounded queue that holds a session's first
 * datagrams until its channel is open, drop counters and a gate that lets a
 * repeated warning through once per interval.
 *
 * A UDP session is one data channel per client address, opened unordered and
 * without retransmissions (UDP_CHANNEL_INIT): a datagram is one message, lost
 * or late like on the wire, so one lost packet never holds up the ones behind
 * it (an ordered, reliable channel would add TCP's head-of-line blocking to a
 * protocol that chose UDP to avoid it).
 */
import type { DataChannelInitConfig } from 'node-datachannel';

/** The largest UDP payload over IPv4; a datagram larger than this is dropped (`too-large`). */
export const MAX_DATAGRAM = 65_507;

/** A UDP session's channel: unordered, unreliable (one datagram, one message, no retransmission). */
export const UDP_CHANNEL_INIT: Omit<DataChannelInitConfig, 'protocol'> = Object.freeze({ unordered: true, maxRetransmits: 0 });

/** Above this many bytes queued in a channel, a datagram is dropped (`congested`) rather than queued. */
export const MAX_CHANNEL_BUFFERED = 1024 * 1024;

/** The queue before a channel opens: at most this many datagrams and bytes (beyond: `queue-full`). */
export const QUEUE_DATAGRAMS = 64;
export const QUEUE_BYTES = 256 * 1024;

/** Why a datagram was not carried. */
export const UDP_DROP_REASONS = [
  /** Larger than MAX_DATAGRAM. */
  'too-large',
  /** The queue before the channel opened was full. */
  'queue-full',
  /** A new client while the port had its maximum of sessions. */
  'session-cap',
  /** A new client the admit hook refused. */
  'not-admitted',
  /** The channel had more than MAX_CHANNEL_BUFFERED bytes queued. */
  'congested',
  /** The session's channel failed, was refused or closed with datagrams still queued, or failed moments ago. */
  'channel-failed',
  /** The socket or channel refused the send. */
  'send-error',
] as const;
export type UdpDropReason = (typeof UDP_DROP_REASONS)[number];
export type UdpDrops = Record<UdpDropReason, number>;

export function noDrops(): UdpDrops {
  return Object.fromEntries(UDP_DROP_REASONS.map((r) => [r, 0])) as UdpDrops;
}

/** `ip:port`, `[v6]:port` for IPv6: one key per client address. */
export function clientKey(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** A data channel message as a Buffer (node-datachannel hands binary messages over as Buffer or ArrayBuffer). */
export function asBuffer(msg: Buffer | ArrayBuffer): Buffer {
  return Buffer.isBuffer(msg) ? msg : Buffer.from(msg);
}

/** FIFO of datagrams, bounded in count and bytes; push says whether it was taken. */
export class DatagramQueue {
  private items: Buffer[] = [];
  private total = 0;
  constructor(
    readonly maxDatagrams = QUEUE_DATAGRAMS,
    readonly maxBytes = QUEUE_BYTES,
  ) {}

  push(datagram: Buffer): boolean {
    if (this.items.length >= this.maxDatagrams || this.total + datagram.length > this.maxBytes) return false;
    this.items.push(datagram);
    this.total += datagram.length;
    return true;
  }

  /** Everything queued, oldest first; the queue is empty after. */
  drain(): Buffer[] {
    const out = this.items;
    this.items = [];
    this.total = 0;
    return out;
  }

  get length(): number {
    return this.items.length;
  }

  get bytes(): number {
    return this.total;
  }
}

/**
 * Lets an event through once per `intervalMs` (a warning that would otherwise be
 * logged per datagram): `pass()` is undefined while the gate is shut, else how many
 * events it held back since it last let one through.
 */
export class OncePerInterval {
  private nextAt = -Infinity;
  private held = 0;
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  pass(): number | undefined {
    const t = this.now();
    if (t < this.nextAt) {
      this.held++;
      return undefined;
    }
    this.nextAt = t + this.intervalMs;
    const held = this.held;
    this.held = 0;
    return held;
  }
}
