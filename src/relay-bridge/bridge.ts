/**
 * The local TURN bridge: how a peer whose network blocks UDP still reaches a
 * relay. libjuice (libdatachannel's ICE) can only talk to TURN over UDP
 * (libjuice#257), so ICE is given this bridge, a UDP socket on 127.0.0.1, as
 * its TURN server. Every datagram ICE sends to it goes, unchanged, as one frame
 * on a TCP or TLS connection to the real TURN server (RFC 8656 §3.1: STUN
 * messages and ChannelData, the latter padded to 4 bytes on a stream), and
 * every frame the server sends back comes out of the bridge as a datagram, its
 * padding removed. ICE, DTLS and SCTP stay end to end and untouched: the
 * bridge sees only TURN framing around DTLS records it cannot read.
 *
 * One connection per local source address (one per ICE agent, so per session):
 * the server keys an allocation by its connection, as it keys a UDP one by the
 * client's address. The connection is opened by the source's first datagram,
 * closed when the server closes it (allocation freed), when the source is
 * silent for IDLE_MS, or when the bridge closes. UDP semantics are kept: while
 * a connection is being opened a few datagrams wait, past that (and past a
 * write backlog of BACKLOG_BYTES) datagrams are dropped and counted, as a
 * full socket would drop them; ICE and SCTP retransmit.
 *
 * TLS: a server's self-signed certificate is pinned by its SHA-256 fingerprint
 * (the signal server tells it in the ICE server entry); otherwise the usual CA
 * check, with the host name as SNI.
 */
import { EventEmitter } from 'node:events';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { StunDecodeError, nextFrameLength, splitFrames } from '../stun/index.js';
import type { Endpoint } from '../util/endpoint.js';
import type { Logger } from '../util/log.js';

/** Datagrams held for a connection being opened; beyond, dropped. */
export const PENDING_DATAGRAMS = 64;
/** Bytes queued on a connection before datagrams to it are dropped. */
export const BACKLOG_BYTES = 2 * 1024 * 1024;
/** A source silent this long loses its connection (ICE's consent checks run every few seconds). */
export const IDLE_MS = 120_000;
/** A connection not established within this is given up (its datagrams dropped). */
export const CONNECT_TIMEOUT_MS = 10_000;
/** After a failed connection, a source's datagrams are dropped this long before the next try. */
export const RETRY_AFTER_MS = 1000;

export interface BridgeTarget {
  /** The TURN server: host name or IP, port, and stream transport. */
  host: string;
  port: number;
  transport: 'tcp' | 'tls';
  /** TLS: the server certificate's SHA-256 fingerprint (AA:BB:...), pinned instead of a CA check. */
  certFingerprint?: string;
  /** Give up a connection not up within this (default CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
}

export interface BridgeStats {
  datagramsOut: number;
  bytesOut: number;
  datagramsIn: number;
  bytesIn: number;
  connectionsOpened: number;
  connectionsOpen: number;
  /** Dropped datagrams: not a STUN/ChannelData message, connection backlog full, or its connection failed. */
  dropped: { malformed: number; backlog: number; connectFailed: number };
  /** The last connection failure (refused, TLS fingerprint mismatch, timeout), if any. */
  lastError?: string;
}

interface Link {
  sock: Socket;
  ready: boolean;
  /** Writes are corked until the end of this loop turn. */
  corked: boolean;
  pending: Buffer[];
  lastSeen: number;
  rest: Buffer;
}

const key = (r: { address: string; port: number }): string => `${r.address}|${r.port}`;

export interface TurnBridgeEvents {
  /** A connection to the server failed before it was up (refused, timeout, TLS pin mismatch): why. */
  failed: [string];
}

export class TurnBridge extends EventEmitter<TurnBridgeEvents> {
  private udp?: UdpSocket;
  private readonly links = new Map<string, Link>();
  /** Sources whose last connection failed before it was up, and when. */
  private readonly failedAt = new Map<string, number>();
  private sweep?: NodeJS.Timeout;
  readonly stats: BridgeStats = { datagramsOut: 0, bytesOut: 0, datagramsIn: 0, bytesIn: 0, connectionsOpened: 0, connectionsOpen: 0, dropped: { malformed: 0, backlog: 0, connectFailed: 0 } };

  constructor(
    readonly target: BridgeTarget,
    private readonly log: Logger,
  ) {
    super();
  }

  /** Bind the local UDP socket (127.0.0.1, a free port). */
  async start(): Promise<Endpoint> {
    const udp = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
    udp.on('message', (msg, rinfo) => this.fromIce(msg, rinfo));
    udp.on('error', (err) => this.log.warn('relay bridge socket error', { err: err.message }));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, '127.0.0.1', () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    this.sweep = setInterval(() => this.closeIdle(), IDLE_MS / 4);
    this.sweep.unref();
    return this.local;
  }

  /** Where ICE sends: give it `turn:<address>:<port>?transport=udp` with the real server's credentials. */
  get local(): Endpoint {
    const a = this.udp?.address();
    return { address: '127.0.0.1', port: a?.port ?? 0 };
  }

  /** `tcp 203.0.113.1:3478` */
  describe(): string {
    return `${this.target.transport} ${this.target.host}:${this.target.port}`;
  }

  close(): void {
    if (this.sweep) clearInterval(this.sweep);
    for (const l of this.links.values()) l.sock.destroy();
    this.links.clear();
    this.stats.connectionsOpen = 0;
    try {
      this.udp?.close();
    } catch {
      /* closed */
    }
    this.udp = undefined;
  }

  /** A datagram from ICE: framed onto its source's connection. */
  private fromIce(msg: Buffer, rinfo: RemoteInfo): void {
    const { stats } = this;
    // Only whole STUN or ChannelData messages may enter the stream: anything else would desynchronise it.
    let n: number | undefined;
    try {
      n = nextFrameLength(msg);
    } catch {
      n = undefined;
    }
    const isCd = msg.length >= 4 && msg[0]! >> 6 === 1;
    const dataLen = msg.length >= 4 ? msg.readUInt16BE(2) : -1;
    if (n === undefined || (isCd ? 4 + dataLen > msg.length : n !== msg.length)) {
      stats.dropped.malformed++;
      return;
    }
    const k = key(rinfo);
    let link = this.links.get(k);
    const now = performance.now();
    if (!link) {
      const failed = this.failedAt.get(k);
      if (failed !== undefined && now - failed < RETRY_AFTER_MS) {
        stats.dropped.connectFailed++;
        return;
      }
      link = this.open(k, { address: rinfo.address, port: rinfo.port });
    }
    link.lastSeen = now;
    // ChannelData over a stream: exactly 4 + length bytes, padded to a multiple of 4.
    let frame = isCd ? msg.subarray(0, 4 + dataLen) : msg;
    if (isCd && frame.length % 4) frame = Buffer.concat([frame, Buffer.alloc(4 - (frame.length % 4))]);
    if (!link.ready) {
      if (link.pending.length >= PENDING_DATAGRAMS) stats.dropped.backlog++;
      else link.pending.push(frame);
      return;
    }
    this.write(link, frame);
  }

  private write(link: Link, frame: Buffer): void {
    if (link.sock.writableLength > BACKLOG_BYTES) {
      this.stats.dropped.backlog++;
      return;
    }
    this.stats.datagramsOut++;
    this.stats.bytesOut += frame.length;
    // The datagrams of one poll of the UDP socket (libuv reads many at once) leave in one
    // writev: corked until the loop's check phase, not one write syscall per datagram.
    if (!link.corked) {
      link.corked = true;
      link.sock.cork();
      setImmediate(() => {
        link.corked = false;
        link.sock.uncork();
      });
    }
    link.sock.write(frame);
  }

  private open(k: string, source: Endpoint): Link {
    const t = this.target;
    const sock: Socket =
      t.transport === 'tls'
        ? tlsConnect({
            host: t.host,
            port: t.port,
            ...(isIP(t.host) ? {} : { servername: t.host }),
            // A pinned certificate is checked below, on the handshake's result; otherwise the CA check.
            rejectUnauthorized: !t.certFingerprint,
          })
        : tcpConnect({ host: t.host, port: t.port });
    sock.setNoDelay(true);
    const link: Link = { sock, ready: false, corked: false, pending: [], lastSeen: performance.now(), rest: Buffer.alloc(0) };
    this.links.set(k, link);
    this.stats.connectionsOpened++;
    this.stats.connectionsOpen = this.links.size;
    const limit = t.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const timer = setTimeout(() => sock.destroy(new Error(`no connection within ${limit / 1000} s (a firewall dropping ${t.transport === 'tls' ? 'TLS' : 'TCP'} to port ${t.port}?)`)), limit);
    timer.unref();
    const up = (): void => {
      clearTimeout(timer);
      if (t.transport === 'tls' && t.certFingerprint) {
        const got = (sock as TLSSocket).getPeerCertificate().fingerprint256;
        if (got !== t.certFingerprint) {
          sock.destroy(new Error(`the relay's TLS certificate ${got ?? '(none)'} is not the pinned ${t.certFingerprint}`));
          return;
        }
      }
      link.ready = true;
      for (const f of link.pending.splice(0)) this.write(link, f);
    };
    sock.once(t.transport === 'tls' ? 'secureConnect' : 'connect', up);
    sock.on('data', (chunk: Buffer) => this.fromServer(link, source, chunk));
    sock.on('error', (err) => {
      this.stats.lastError = err.message;
      this.log.warn('relay bridge connection failed', { relay: this.describe(), err: err.message });
      if (link.ready) return;
      this.stats.dropped.connectFailed += link.pending.length;
      this.emit('failed', err.message);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      if (!link.ready) this.failedAt.set(k, performance.now());
      if (this.links.get(k) === link) this.links.delete(k);
      this.stats.connectionsOpen = this.links.size;
    });
    return link;
  }

  /** Bytes from the server: whole frames out as datagrams to the source (ChannelData without its padding). */
  private fromServer(link: Link, source: Endpoint, chunk: Buffer): void {
    const buf = link.rest.length ? Buffer.concat([link.rest, chunk]) : chunk;
    let frames: Buffer[];
    try {
      ({ frames, rest: link.rest } = splitFrames(buf));
    } catch (err) {
      this.log.warn('relay bridge: the server sent something that is not TURN; closing', { relay: this.describe(), reason: err instanceof StunDecodeError ? err.reason : String(err) });
      link.sock.destroy();
      return;
    }
    const udp = this.udp;
    if (!udp) return;
    for (const f of frames) {
      const out = f[0]! >> 6 === 1 ? f.subarray(0, 4 + f.readUInt16BE(2)) : f;
      this.stats.datagramsIn++;
      this.stats.bytesIn += out.length;
      udp.send(out, source.port, source.address);
    }
  }

  private closeIdle(): void {
    const now = performance.now();
    for (const [k, at] of this.failedAt) if (now - at > RETRY_AFTER_MS) this.failedAt.delete(k);
    for (const [k, l] of this.links) {
      if (now - l.lastSeen < IDLE_MS) continue;
      this.links.delete(k);
      l.sock.end();
      setTimeout(() => l.sock.destroy(), 2000).unref();
    }
    this.stats.connectionsOpen = this.links.size;
  }
}
