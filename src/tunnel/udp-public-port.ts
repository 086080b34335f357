/**
 * UdpPublicPort: the proxy side of a UDP service. A UDP socket on a public
 * host:port; every client address (ip:port) that sends to it is one session,
 * carried on one data channel to the peer that exposes the service (the caller
 * opens it: `openChannel`, with the UDP label and UDP_CHANNEL_INIT). Each
 * datagram is one binary message; each message back is one datagram to that
 * client address, from this port, so the client sees one UDP peer.
 *
 * The channel is unordered and unreliable (udp-datagrams.ts says why): loss
 * and reordering stay the application's business, as they are over UDP.
 *
 * A client's first datagrams arrive before its channel is open (the DCEP
 * handshake takes a round trip to the peer, and on an unordered channel a
 * message sent before it could overtake the OPEN): they wait in a bounded queue
 * (64 datagrams / 256 KiB by default, the rest dropped and counted) and go out
 * in order when the channel opens.
 *
 * A session ends when nothing has gone either way for `idleMs` (UDP has no
 * close; 60 s by default, as frp), when its channel closes, fails, does not
 * open within `openTimeoutMs`, or the peer refuses it (an `err` frame). A
 * session that failed leaves its client address shut for `retryMs`, so a client
 * sending to a service the peer refuses does not open a channel per datagram.
 * New clients beyond `maxSessions`, or refused by the `admit` hook, are dropped
 * and counted (warned about once per `logIntervalMs`).
 */
import { EventEmitter } from 'node:events';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6, type AddressInfo } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { createLogger, type Logger } from '../util/log.js';
import { readChannelMessage, sendDatagram } from './udp-channel.js';
import { DatagramQueue, MAX_DATAGRAM, OncePerInterval, QUEUE_BYTES, QUEUE_DATAGRAMS, clientKey, noDrops, type UdpDropReason, type UdpDrops } from './udp-datagrams.js';

export interface UdpClient {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export interface UdpPublicPortOptions {
  /** Address and port to bind (port 0: any free port). */
  host: string;
  port: number;
  /** The channel for a new client: unordered, unreliable, UDP label (session.openChannel(udpLabel(s), UDP_PROTOCOL, UDP_CHANNEL_INIT)). */
  openChannel: (client: UdpClient) => Promise<DataChannel> | DataChannel;
  /**
   * Called once per channel openChannel gave, when its session ends: pass
   * `(dc) => session.release(dc)` (the port takes the channel's onClosed callback,
   * the one PeerSession uses to let go of a closed channel).
   */
  release?: (dc: DataChannel) => void;
  /** Checked on a new client's first datagram; false drops it (`not-admitted`). */
  admit?: (address: string, port: number) => boolean;
  /** Default 60 000. */
  idleMs?: number;
  /** Concurrent sessions; default 1024. */
  maxSessions?: number;
  /** The queue before a channel opens; defaults 64 datagrams, 256 KiB. */
  queueDatagrams?: number;
  queueBytes?: number;
  /** A channel not open within this long ends its session; default 10 000. */
  openTimeoutMs?: number;
  /** After a session failed, its client address is shut this long; default 1000. */
  retryMs?: number;
  /** Repeated warnings (session cap, not admitted) at most once per this long; default 10 000. */
  logIntervalMs?: number;
  log?: Logger;
}

export interface UdpSessionStats {
  datagramsToPeer: number;
  bytesToPeer: number;
  datagramsToClient: number;
  bytesToClient: number;
  dropped: number;
}

export interface UdpPortStats {
  sessionsOpened: number;
  sessionsActive: number;
  datagramsToPeer: number;
  bytesToPeer: number;
  datagramsToClients: number;
  bytesToClients: number;
  drops: UdpDrops;
}

export type UdpSessionEndReason = 'idle' | 'channel-closed' | 'channel-failed' | 'open-timeout' | 'refused' | 'port-closed';

export interface UdpSessionEnd {
  reason: UdpSessionEndReason;
  message: string;
  /** The peer's error code, when it refused the session. */
  code?: string;
  stats: UdpSessionStats;
}

export interface UdpPublicPortEvents {
  /** A new client address: its channel is being opened. */
  'session-open': [UdpClient];
  'session-close': [UdpClient, UdpSessionEnd];
}

interface Session {
  key: string;
  client: UdpClient;
  dc?: DataChannel;
  open: boolean;
  ended: boolean;
  queue: DatagramQueue;
  lastActive: number;
  idleTimer?: NodeJS.Timeout;
  openTimer?: NodeJS.Timeout;
  stats: UdpSessionStats;
}

const FAILURES: ReadonlySet<UdpSessionEndReason> = new Set(['channel-failed', 'open-timeout', 'refused']);
/** Bound on remembered failed client addresses (expired ones are swept first). */
const MAX_SHUT = 4096;

export class UdpPublicPort extends EventEmitter<UdpPublicPortEvents> {
  private readonly opts: UdpPublicPortOptions;
  private readonly log: Logger;
  private readonly idleMs: number;
  private readonly sessions = new Map<string, Session>();
  /** Client addresses whose session failed, until when they stay shut. */
  private readonly shut = new Map<string, number>();
  private readonly gates: Partial<Record<UdpDropReason, OncePerInterval>> = {};
  private readonly totals = { sessionsOpened: 0, datagramsToPeer: 0, bytesToPeer: 0, datagramsToClients: 0, bytesToClients: 0 };
  private readonly drops = noDrops();
  private socket?: Socket;
  private closed = false;

  constructor(opts: UdpPublicPortOptions) {
    super();
    this.opts = opts;
    this.log = opts.log ?? createLogger('udp-port');
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** Bind the socket. Rejects with a P2prcError (bad-argument, the socket error as `cause`) when it cannot. */
  async start(): Promise<AddressInfo> {
    if (this.socket || this.closed) throw new P2prcError(ErrorCode.BadArgument, 'UdpPublicPort.start called twice');
    const { host, port } = this.opts;
    const sock = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind({ address: host, port, exclusive: true }, () => {
          sock.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      sock.close();
      const e = err as NodeJS.ErrnoException;
      throw new P2prcError(ErrorCode.BadArgument, `cannot bind UDP ${clientKey(host, port)}: ${e.code ?? e.message}`, { cause: err });
    }
    this.socket = sock;
    sock.on('error', (err) => this.log.warn('udp socket error', { err }));
    sock.on('message', (msg, rinfo) => this.fromClient(msg, rinfo));
    return sock.address();
  }

  address(): AddressInfo | undefined {
    return this.socket?.address();
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  get stats(): UdpPortStats {
    return { ...this.totals, sessionsActive: this.sessions.size, drops: { ...this.drops } };
  }

  /** Close the socket and every session. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.sessions.values()]) this.end(s, 'port-closed', 'public port closed');
    this.shut.clear();
    const sock = this.socket;
    if (sock) await new Promise<void>((resolve) => sock.close(() => resolve()));
  }

  private fromClient(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    if (msg.length > MAX_DATAGRAM) return this.drop('too-large');
    const key = clientKey(rinfo.address, rinfo.port);
    const s = this.sessions.get(key) ?? this.newSession(key, rinfo);
    if (!s) return;
    s.lastActive = performance.now();
    if (s.open) this.toPeer(s, msg);
    else if (!s.queue.push(msg)) this.drop('queue-full', s);
  }

  private newSession(key: string, rinfo: RemoteInfo): Session | undefined {
    const until = this.shut.get(key);
    if (until !== undefined) {
      if (performance.now() < until) {
        this.drop('channel-failed');
        return undefined;
      }
      this.shut.delete(key);
    }
    const maxSessions = this.opts.maxSessions ?? 1024;
    if (this.sessions.size >= maxSessions) {
      this.dropWarn('session-cap', 'udp session cap reached; dropping new clients', { max: maxSessions, client: key });
      return undefined;
    }
    if (this.opts.admit && !this.admitted(rinfo)) {
      this.dropWarn('not-admitted', 'udp client not admitted', { client: key });
      return undefined;
    }
    const client: UdpClient = { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' };
    const s: Session = {
      key,
      client,
      open: false,
      ended: false,
      queue: new DatagramQueue(this.opts.queueDatagrams ?? QUEUE_DATAGRAMS, this.opts.queueBytes ?? QUEUE_BYTES),
      lastActive: performance.now(),
      stats: { datagramsToPeer: 0, bytesToPeer: 0, datagramsToClient: 0, bytesToClient: 0, dropped: 0 },
    };
    this.sessions.set(key, s);
    this.totals.sessionsOpened++;
    this.armIdle(s, this.idleMs);
    const openTimeoutMs = this.opts.openTimeoutMs ?? 10_000;
    s.openTimer = setTimeout(() => this.end(s, 'open-timeout', `channel did not open within ${openTimeoutMs} ms`), openTimeoutMs);
    this.log.debug('udp session opening', { client: key });
    this.emit('session-open', client);
    Promise.resolve()
      .then(() => this.opts.openChannel(client))
      .then(
        (dc) => this.attach(s, dc),
        (err: Error) => this.end(s, 'channel-failed', `cannot open a channel: ${err.message}`, (err as P2prcError).code),
      )
      .catch((err: Error) => this.end(s, 'channel-failed', `channel unusable: ${err.message}`));
    return s;
  }

  private admitted(rinfo: RemoteInfo): boolean {
    try {
      return this.opts.admit!(rinfo.address, rinfo.port) === true;
    } catch (err) {
      this.log.warn('udp admit hook threw; client refused', { client: clientKey(rinfo.address, rinfo.port), err });
      return false;
    }
  }

  private attach(s: Session, dc: DataChannel): void {
    if (s.ended) {
      this.closeChannel(dc);
      return;
    }
    s.dc = dc;
    dc.onMessage((msg) => this.fromPeer(s, msg));
    dc.onClosed(() => this.end(s, s.open ? 'channel-closed' : 'channel-failed', s.open ? 'channel closed' : 'channel closed before it opened'));
    dc.onError((err) => this.end(s, 'channel-failed', `channel error: ${err}`));
    dc.onOpen(() => this.channelOpen(s));
    if (dc.isOpen()) this.channelOpen(s);
  }

  private channelOpen(s: Session): void {
    if (s.open || s.ended) return;
    s.open = true;
    clearTimeout(s.openTimer);
    for (const d of s.queue.drain()) this.toPeer(s, d);
  }

  private toPeer(s: Session, datagram: Buffer): void {
    const why = sendDatagram(s.dc!, datagram);
    if (why) return this.drop(why, s);
    s.stats.datagramsToPeer++;
    s.stats.bytesToPeer += datagram.length;
    this.totals.datagramsToPeer++;
    this.totals.bytesToPeer += datagram.length;
  }

  private fromPeer(s: Session, msg: string | Buffer | ArrayBuffer): void {
    if (s.ended || this.closed) return;
    s.lastActive = performance.now();
    const m = readChannelMessage(msg);
    if ('frame' in m && m.frame.t === 'err') return this.end(s, 'refused', m.frame.message, m.frame.code);
    if (!('datagram' in m)) return this.log.debug('ignoring a non-datagram message on a udp channel', { client: s.key });
    const d = m.datagram;
    if (d.length > MAX_DATAGRAM) return this.drop('too-large', s);
    this.socket!.send(d, s.client.port, s.client.address, (err) => {
      if (err) return this.drop('send-error', s);
      s.stats.datagramsToClient++;
      s.stats.bytesToClient += d.length;
      this.totals.datagramsToClients++;
      this.totals.bytesToClients += d.length;
    });
  }

  /** Idle check: re-armed for the rest of the interval while there was traffic. */
  private armIdle(s: Session, ms: number): void {
    s.idleTimer = setTimeout(() => {
      const quiet = performance.now() - s.lastActive;
      if (quiet >= this.idleMs) this.end(s, 'idle', `idle for ${this.idleMs} ms`);
      else this.armIdle(s, this.idleMs - quiet);
    }, Math.max(1, Math.ceil(ms)));
  }

  private end(s: Session, reason: UdpSessionEndReason, message: string, code?: string): void {
    if (s.ended) return;
    s.ended = true;
    clearTimeout(s.idleTimer);
    clearTimeout(s.openTimer);
    this.sessions.delete(s.key);
    const queued = s.queue.drain().length;
    this.drops['channel-failed'] += queued;
    s.stats.dropped += queued;
    if (FAILURES.has(reason) && !this.closed) this.shutFor(s.key);
    if (s.dc) this.closeChannel(s.dc);
    const fields = { client: s.key, reason, message, code, ...s.stats };
    if (FAILURES.has(reason)) this.log.warn('udp session failed', fields);
    else this.log.debug('udp session closed', fields);
    this.emit('session-close', s.client, { reason, message, ...(code !== undefined ? { code } : {}), stats: { ...s.stats } });
  }

  private closeChannel(dc: DataChannel): void {
    try {
      dc.close();
    } catch {
      /* already closed */
    }
    this.opts.release?.(dc);
  }

  private shutFor(key: string): void {
    const now = performance.now();
    if (this.shut.size >= MAX_SHUT) {
      for (const [k, until] of this.shut) if (until <= now) this.shut.delete(k);
      if (this.shut.size >= MAX_SHUT) this.shut.delete(this.shut.keys().next().value!);
    }
    this.shut.set(key, now + (this.opts.retryMs ?? 1000));
  }

  private drop(reason: UdpDropReason, s?: Session): void {
    this.drops[reason]++;
    if (s) s.stats.dropped++;
  }

  private dropWarn(reason: UdpDropReason, msg: string, fields: Record<string, unknown>): void {
    this.drop(reason);
    const gate = (this.gates[reason] ??= new OncePerInterval(this.opts.logIntervalMs ?? 10_000));
    const held = gate.pass();
    if (held !== undefined) this.log.warn(msg, { ...fields, ...(held > 0 ? { alsoDropped: held } : {}) });
  }
}
