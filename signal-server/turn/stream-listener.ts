/**
 * TURN over TCP and TLS (RFC 8656 §3.1, §12.5; STUN over TCP, RFC 8489 §6.2):
 * the relay's listeners for clients that cannot send UDP. Each connection is
 * one client 5-tuple: its STUN messages and ChannelData are cut out of the
 * byte stream (src/stun/framing, pure) and handed to the same dispatch as
 * datagrams, with a Client whose `stream` writes replies and relayed data back
 * on the connection (ChannelData padded to 4 bytes, as the RFC requires there).
 * What an allocation relays to its peers stays UDP.
 *
 * Limits, so a client cannot hold the server's memory or sockets:
 *   - a connection that does not make an allocation within IDLE_MS is closed,
 *     and one whose allocation is freed is closed with it (allocate.ts);
 *   - bytes waiting to be written to a slow client are capped at BACKLOG_BYTES:
 *     past it, relayed data is dropped (counted as clientBacklog), as a full
 *     UDP socket would drop it, and STUN replies too (the client retransmits);
 *   - at most `maxConnections` connections at once, `maxPerIp` from one address
 *     (more are refused at accept), and a TLS handshake has HANDSHAKE_MS;
 *   - a stream that is neither STUN nor ChannelData is closed at the first bad frame.
 *
 * Sharing a port with HTTPS (`fallback`): a firewall that passes only TCP 443
 * leaves one port for both signalling (wss://) and the relay. A TURN client's
 * first message is a STUN request, whose bytes 4-7 are the magic cookie; a
 * connection that starts otherwise (an HTTP request: "GET /...") is handed
 * to `fallback`, the signal server's HTTP server, its first bytes with it.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { StunDecodeError, splitFrames } from '../../src/stun/index.js';
import type { Logger } from '../../src/util/log.js';
import type { Client, ClientStream } from './allocation.js';

/** A connection without an allocation is closed after this long. */
export const IDLE_MS = 30_000;
/** Bytes queued for one client before relayed data to it is dropped (about 100 ms at 40 MiB/s). */
export const BACKLOG_BYTES = 4 * 1024 * 1024;
/** Connections at once, per listener, unless the server says otherwise. */
export const DEFAULT_MAX_CONNECTIONS = 4096;
/** Connections at once from one client address, per listener (each session of a bridged peer takes one). */
export const DEFAULT_MAX_PER_IP = 64;
/** A TLS client that has not finished its handshake by then is dropped. */
export const HANDSHAKE_MS = 10_000;

export interface StreamHandlers {
  /** One frame (a STUN message or a ChannelData message, padding included) from `client`. */
  frame(buf: Buffer, client: Client): void;
  /** The connection of `client` closed (either side): its allocation goes. */
  closed(client: Client): void;
  /** Whether `client` holds an allocation now (idle connections without one are closed). */
  hasAllocation(client: Client): boolean;
}

export interface StreamListenerOptions {
  transport: 'tcp' | 'tls';
  host: string;
  port: number;
  /** TLS only: PEM certificate chain and key. */
  cert?: string;
  key?: string;
  maxConnections?: number;
  maxPerIp?: number;
  /** Connections that do not start with a STUN message go here (with their first bytes unread), not closed. */
  fallback?: (sock: Socket) => void;
  log: Logger;
}

export interface StreamStats {
  connections: number;
  accepted: number;
  refused: number;
  /** Connections closed for a frame that is neither STUN nor ChannelData. */
  badStreams: number;
  /** Connections handed to the fallback (HTTPS on a shared port). */
  handedOver: number;
}

/** STUN's magic cookie (RFC 8489 §5), bytes 4-7 of every STUN message. */
const MAGIC_COOKIE = 0x2112a442;

/** A zero pad for ChannelData over a stream. */
const PAD = Buffer.alloc(3);

class StreamClient implements ClientStream {
  private corked = false;
  constructor(
    readonly transport: 'tcp' | 'tls',
    private readonly sock: Socket,
  ) {}

  send(frame: Buffer | readonly Buffer[]): boolean {
    const s = this.sock;
    if (s.destroyed || !s.writable || s.writableLength > BACKLOG_BYTES) return false;
    let len: number;
    let first: Buffer | undefined;
    if (Buffer.isBuffer(frame)) {
      len = frame.length;
      first = frame;
    } else {
      len = 0;
      for (const b of frame) len += b.length;
      first = frame[0];
    }
    // ChannelData (first two bits 01) is padded to a multiple of 4 on a stream; STUN messages always are.
    const pad = first !== undefined && first[0]! >> 6 === 1 && len % 4 !== 0 ? 4 - (len % 4) : 0;
    // Over TCP, what one turn of the loop relays to this client (a poll of the relay sockets reads
    // many datagrams) leaves in one writev: corked until the loop's check phase. Over TLS that would
    // put several messages in one TLS record, and some clients read one message per record
    // (coturn's turnutils_uclient lost 4 of 800 that way): one record per message there, as coturn writes.
    if (this.transport === 'tcp' && !this.corked) {
      this.corked = true;
      s.cork();
      setImmediate(() => {
        this.corked = false;
        s.uncork();
      });
    }
    if (Buffer.isBuffer(frame)) s.write(frame);
    else for (const b of frame) s.write(b);
    if (pad) s.write(PAD.subarray(0, pad));
    return true;
  }

  end(): void {
    this.sock.end();
    // A client that does not read would keep the socket half-open: a bounded grace, then gone.
    setTimeout(() => this.sock.destroy(), 2000).unref();
  }
}

export class StreamListener {
  private server?: Server;
  private readonly conns = new Set<Socket>();
  /** Open connections per client address. */
  private readonly perIp = new Map<string, number>();
  readonly stats: StreamStats = { connections: 0, accepted: 0, refused: 0, badStreams: 0, handedOver: 0 };

  constructor(
    private readonly opts: StreamListenerOptions,
    private readonly handlers: StreamHandlers,
  ) {}

  get transport(): 'tcp' | 'tls' {
    return this.opts.transport;
  }

  async listen(): Promise<AddressInfo> {
    const { opts } = this;
    const onConn = (sock: Socket): void => this.accept(sock);
    const server =
      opts.transport === 'tls'
        ? createTlsServer({ cert: opts.cert, key: opts.key, minVersion: 'TLSv1.2', handshakeTimeout: HANDSHAKE_MS }, onConn as (s: TLSSocket) => void)
        : createTcpServer(onConn);
    // A failed TLS handshake is the client's problem, not the server's.
    server.on('tlsClientError', (err: Error) => opts.log.debug('TLS handshake failed', { err: err.message }));
    server.on('error', (err) => opts.log.error(`TURN ${opts.transport} listener error`, { err }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  private accept(sock: Socket): void {
    const { opts, handlers, stats } = this;
    const ip = sock.remoteAddress ?? '';
    if (this.conns.size >= (opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS) || (this.perIp.get(ip) ?? 0) >= (opts.maxPerIp ?? DEFAULT_MAX_PER_IP)) {
      stats.refused++;
      if (stats.refused === 1 || stats.refused % 1000 === 0) opts.log.warn(`TURN ${opts.transport} connection refused: at the cap`, { client: ip, refused: stats.refused });
      sock.destroy();
      return;
    }
    stats.accepted++;
    this.conns.add(sock);
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    let counted = true;
    const uncount = (): void => {
      if (!counted) return;
      counted = false;
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n > 0) this.perIp.set(ip, n);
      else this.perIp.delete(ip);
    };
    stats.connections = this.conns.size;
    sock.setNoDelay(true);
    const client: Client = { address: sock.remoteAddress ?? '', port: sock.remotePort ?? 0, stream: new StreamClient(opts.transport, sock) };
    let rest: Buffer = Buffer.alloc(0);
    let closed = false;
    const idle = setInterval(() => {
      if (!handlers.hasAllocation(client)) {
        opts.log.debug('closing a TURN connection without an allocation', { client: `${client.address}:${client.port}/${opts.transport}` });
        sock.destroy();
      }
    }, IDLE_MS);
    idle.unref();
    let decided = !opts.fallback;
    let handed = false;
    const onData = (chunk: Buffer): void => {
      const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      if (!decided) {
        if (buf.length < 8) {
          rest = buf;
          return;
        }
        decided = true;
        if (buf.readUInt32BE(4) !== MAGIC_COOKIE || buf[0]! >> 6 !== 0) {
          // Not TURN: the other protocol of this port; the connection is no longer ours. Node's HTTP
          // server reads a TLS socket's handle directly (not its 'data' events), so bytes put back
          // with unshift() would never reach it: its parser is given them as a 'data' event instead,
          // once it listens.
          sock.off('data', onData);
          clearInterval(idle);
          this.conns.delete(sock);
          uncount();
          stats.connections = this.conns.size;
          stats.handedOver++;
          handed = true;
          opts.fallback!(sock);
          sock.emit('data', buf);
          return;
        }
      }
      let frames: Buffer[];
      try {
        ({ frames, rest } = splitFrames(buf));
      } catch (err) {
        stats.badStreams++;
        opts.log.debug('closing a TURN connection: not STUN or ChannelData', { client: `${client.address}:${client.port}/${opts.transport}`, reason: err instanceof StunDecodeError ? err.reason : String(err) });
        sock.destroy();
        return;
      }
      for (const f of frames) {
        if (closed) return;
        handlers.frame(f, client);
      }
    };
    sock.on('data', onData);
    sock.on('error', (err) => opts.log.debug('TURN connection error', { client: `${client.address}:${client.port}/${opts.transport}`, err: err.message }));
    sock.on('close', () => {
      if (handed) return;
      closed = true;
      clearInterval(idle);
      this.conns.delete(sock);
      uncount();
      stats.connections = this.conns.size;
      handlers.closed(client);
    });
  }

  async close(): Promise<void> {
    for (const s of this.conns) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
