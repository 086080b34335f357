/**
 * One WebSocket connection's state on the signal server, its rate limit and
 * the heartbeat that drops connections that stopped answering pings.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WebSocket, type RawData } from 'ws';
import { MAX_MESSAGE_BYTES, decodeClientMessage, encodeMessage, peekType, type ClientMessage, type PeerInfo, type ServerMessage } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import type { Logger } from '../src/util/log.js';
import { TokenBucket } from './rate-limit.js';

/** Sustained messages per second per connection, and burst. Signalling needs a few dozen per session. */
export const RATE_PER_SEC = 100;
const RATE_BURST = 200;
/** At most one rate-limit error per connection per this interval, so a flood is not echoed back. */
const RATE_ERROR_INTERVAL_MS = 1000;

export interface Conn {
  id: number;
  ws: WebSocket;
  /** The nonce sent in `hello`, to be signed in `register`; emptied once registered. */
  nonce: string;
  /** The client's port; with `ip`, its address in logs (remoteOf). */
  remotePort: number;
  /** The client's IP, for per-IP limits. */
  ip: string;
  /** Closes the connection if it has not registered in time; cleared on register. */
  registerDeadline?: NodeJS.Timeout;
  /** Route reports, limited per peer (made on the first one). */
  routeBucket?: TokenBucket;
  /** Our address as this peer reached it: what we advertise for the relay when bound to 0.0.0.0. */
  localAddress: string;
  peer?: PeerInfo;
  bucket: TokenBucket;
  lastRateError: number;
  alive: boolean;
}

export function newConn(id: number, ws: WebSocket, req: IncomingMessage): Conn {
  // Every field from the start (none added later): the object keeps one shape and no
  // out-of-object property store, which is bytes per connection at 10,000 peers (#9).
  return {
    id,
    ws,
    nonce: randomBytes(24).toString('base64url'),
    remotePort: req.socket.remotePort ?? 0,
    ip: clientIp(req),
    registerDeadline: undefined,
    routeBucket: undefined,
    localAddress: (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    peer: undefined,
    bucket: new TokenBucket(RATE_PER_SEC, RATE_BURST),
    lastRateError: 0,
    alive: true,
  };
}

/** The client's address for logs, made when logged (a string kept per connection is memory at 10,000 peers). */
export function remoteOf(conn: Pick<Conn, 'ip' | 'remotePort'>): string {
  return `${conn.ip}:${conn.remotePort}`;
}

/** The client's IP as the socket sees it (IPv4-mapped IPv6 written as IPv4). */
export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** What the server does with a connection's socket events (socketEvents routes them). */
export interface ConnHandlers {
  message(conn: Conn, data: RawData, isBinary: boolean): void;
  close(conn: Conn, code: number): void;
  /** `conn` is undefined when the socket is no longer in the table (an error after close). */
  error(conn: Conn | undefined, err: Error): void;
}

/**
 * The listeners every connection's socket gets, the same four functions for all:
 * each finds its connection by the socket it is called on (`this`), so a
 * connection costs no closures. A socket not in `conns` (closed) is ignored.
 */
export function socketEvents(conns: Map<WebSocket, Conn>, h: ConnHandlers) {
  return {
    message(this: WebSocket, data: RawData, isBinary: boolean): void {
      const c = conns.get(this);
      if (c) h.message(c, data, isBinary);
    },
    close(this: WebSocket, code: number): void {
      const c = conns.get(this);
      if (c) h.close(c, code);
    },
    error(this: WebSocket, err: Error): void {
      h.error(conns.get(this), err);
    },
    pong(this: WebSocket): void {
      const c = conns.get(this);
      if (c) c.alive = true;
    },
  };
}

/**
 * Whether a message may be handled: `ok` false when over the rate. `report` is
 * true for the first dropped message of each interval (the one to answer).
 */
export function admitMessage(conn: Conn, now = Date.now()): { ok: boolean; report: boolean } {
  if (conn.bucket.take()) return { ok: true, report: false };
  if (now - conn.lastRateError < RATE_ERROR_INTERVAL_MS) return { ok: false, report: false };
  conn.lastRateError = now;
  return { ok: false, report: true };
}

/**
 * One heartbeat round: a connection that did not answer the previous ping with
 * a pong is handed to `drop`; the others are pinged. Only a pong counts: a
 * client that keeps sending but never reads (so never sees the ping) is dropped.
 * With `slot`, only the connections of that slot (id % slots) take part, so the
 * server can spread its pings over the interval instead of sending 10,000 at once.
 */
export function heartbeat(conns: Iterable<Conn>, drop: (c: Conn) => void, slot?: { index: number; slots: number }): void {
  for (const c of conns) {
    if (slot && c.id % slot.slots !== slot.index) continue;
    if (!c.alive) {
      drop(c);
      continue;
    }
    c.alive = false;
    try {
      c.ws.ping();
    } catch {
      /* socket already closing */
    }
  }
}

/**
 * Replies to clients: every send is bounded (a client whose queue passes
 * `maxSendBuffered` is not reading and is dropped), every refusal is logged and
 * answered with an `error` carrying its code.
 */
export class Replies {
  constructor(
    private readonly log: Logger,
    private readonly maxSendBuffered: number,
  ) {}

  send(conn: Conn, msg: ServerMessage): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (conn.ws.bufferedAmount > this.maxSendBuffered) {
      // A client that does not read must not make us hold its messages without bound.
      this.log.warn('client is not reading, dropping it', { conn: conn.id, peer: conn.peer?.name, remote: remoteOf(conn), buffered: conn.ws.bufferedAmount });
      conn.ws.terminate();
      return;
    }
    // No callback: a failed write shows as the socket's error and close, handled there;
    // a closure per message was measurable at tens of thousands of signals a second (#9).
    conn.ws.send(encodeMessage(msg));
  }

  reject(conn: Conn, err: P2prcError, ref?: string): void {
    this.log.warn('rejected message', { conn: conn.id, peer: conn.peer?.name, code: err.code, ref, reason: err.message });
    this.error(conn, err.code, err.message, ref);
  }

  error(conn: Conn, code: string, message: string, ref?: string): void {
    this.send(conn, { type: 'error', code, message, ref: ref || undefined });
  }
}

/** One frame from a client: the validated message, or why it is refused (and the type it named, for `ref`). */
export function decodeFrame(data: RawData, isBinary: boolean): { msg: ClientMessage } | { err: P2prcError; ref?: string } {
  // ws hands a Buffer (its default binaryType); Buffer.from(buffer) would copy it.
  const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (isBinary) return { err: new P2prcError(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text') };
  try {
    return { msg: decodeClientMessage(raw) };
  } catch (err) {
    const ref = raw.length <= MAX_MESSAGE_BYTES ? peekType(raw) : undefined;
    return { err: err instanceof P2prcError ? err : new P2prcError(ErrorCode.BadMessage, String(err)), ref };
  }
}
