/**
 * One WebSocket connection's state on the signal server, its rate limit and
 * the heartbeat that drops connections that stopped answering pings.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket, type RawData } from 'ws';
import { MAX_MESSAGE_BYTES, decodeClientFrame, encodeMessage, peekType, type ClientMessage, type PeerInfo, type ServerMessage } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import type { Logger } from '../src/util/log.js';
import type { TokenBucket } from './rate-limit.js';

/** Sustained messages per second per connection, and burst. Signalling needs a few dozen per session. */
export const RATE_PER_SEC = 100;
export const RATE_BURST = 200;
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
  /**
   * The message rate limit, a token bucket kept in the connection: its budget in
   * thousandths of a message, and when it was last topped up, in whole ms of the
   * monotonic clock. Integers, so no number is boxed per connection (a bucket
   * object and its boxed clock reading were ~80 bytes a peer, #9).
   */
  milliTokens: number;
  tokensAt: number;
  /** When the last rate-limit error was sent (whole ms, same clock). */
  lastRateError: number;
  alive: boolean;
}

export function newConn(id: number, ws: WebSocket, req: IncomingMessage): Conn {
  const socket = req.socket;
  // Every field from the start (none added later): the object keeps one shape and no
  // out-of-object property store, which is bytes per connection at 10,000 peers (#9).
  const conn: Conn = {
    id,
    ws,
    nonce: randomBytes(24).toString('base64url'),
    remotePort: socket.remotePort ?? 0,
    ip: clientIp(req),
    registerDeadline: undefined,
    routeBucket: undefined,
    localAddress: ourAddress((socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '')),
    peer: undefined,
    milliTokens: RATE_BURST * 1000,
    tokensAt: Math.floor(performance.now()),
    lastRateError: -RATE_ERROR_INTERVAL_MS,
    alive: true,
  };
  forgetAddresses(socket);
  return conn;
}

/** Our addresses as peers reach us: a handful, whatever the number of connections. */
const ourAddresses = new Map<string, string>();

/** One string per address of ours, shared by its connections (a copy each was 32 bytes a peer). */
function ourAddress(address: string): string {
  const known = ourAddresses.get(address);
  if (known !== undefined) return known;
  if (ourAddresses.size >= 64) ourAddresses.clear(); // a bound, should a host have very many
  ourAddresses.set(address, address);
  return address;
}

/**
 * net.Socket keeps what its remoteAddress/remotePort and localAddress getters
 * read (two objects and a string, ~0.15 KB) for the socket's life; the
 * connection has the three values it needs, so those caches go. Were they read
 * again, Node would ask the socket again and cache them anew.
 */
function forgetAddresses(socket: Socket): void {
  const s = socket as unknown as { _peername?: unknown; _sockname?: unknown };
  if (s._peername) s._peername = undefined;
  if (s._sockname) s._sockname = null;
}

/** The client's address for logs, made when logged (a string kept per connection is memory at 10,000 peers). */
export function remoteOf(conn: Pick<Conn, 'ip' | 'remotePort'>): string {
  return `${conn.ip}:${conn.remotePort}`;
}

/** The client's IP as the socket sees it (IPv4-mapped IPv6 written as IPv4). */
export function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** What the server does with a connection's socket events (the ConnSocket class routes them). */
export interface ConnHandlers {
  message(conn: Conn, data: RawData, isBinary: boolean): void;
  close(conn: Conn, code: number): void;
  /** `conn` is undefined when the socket has no connection any more (an error after close). */
  error(conn: Conn | undefined, err: Error): void;
}

/** A server-side socket of ours: a ws WebSocket that carries its connection. */
export interface ConnSocket extends WebSocket {
  /** Its connection; undefined before the server took it and after it closed (later events go nowhere). */
  conn: Conn | undefined;
}

/**
 * The WebSocket class the server's WebSocketServer makes its sockets with (ws's
 * `WebSocket` option). Each socket carries its connection and hands its events
 * to `h` from `emit` itself, so no listener is registered per socket, and the
 * socket has no listener table unless someone adds a listener: four listeners
 * in every socket's event table (a dictionary) and a table from socket to
 * connection were ~0.4 KB a peer at 10,000 (#9). A pong marks the
 * connection alive. Every other event, and 'close' after `h.close`, goes on to
 * EventEmitter as usual; an 'error' only when someone else listens for it.
 */
export function connSocketClass(h: ConnHandlers): new (address: null, protocols?: undefined, options?: object) => ConnSocket {
  return class extends WebSocket implements ConnSocket {
    conn: Conn | undefined = undefined;

    constructor(address: null, protocols?: undefined, options?: object) {
      super(address as unknown as string, protocols, options as WebSocket.ClientOptions);
      // No listener table until someone adds a listener: EventEmitter makes one on the first
      // on() when it is undefined (as for an emitter whose constructor never ran), and every
      // other method takes undefined as none. An empty table is a dictionary of ~0.18 KB, per
      // connection, which nothing here uses (#9).
      (this as unknown as { _events: unknown })._events = undefined;
    }

    // Two arguments at most: ws emits none with more ('message' data/isBinary, 'close' code/reason).
    override emit(event: string | symbol, a?: unknown, b?: unknown): boolean {
      const c = this.conn;
      switch (event) {
        case 'message':
          if (c) h.message(c, a as RawData, b as boolean);
          return true;
        case 'pong':
          if (c) c.alive = true;
          return true;
        case 'close':
          this.conn = undefined;
          if (c) h.close(c, a as number);
          return super.emit(event, a, b);
        case 'error':
          h.error(c, a as Error);
          return this.listenerCount('error') > 0 ? super.emit(event, a) : true;
        default:
          return arguments.length > 2 ? super.emit(event, a, b) : arguments.length > 1 ? super.emit(event, a) : super.emit(event);
      }
    }
  };
}

export interface Admission {
  ok: boolean;
  /** True for the first dropped message of each interval (the one to answer). */
  report: boolean;
}
const ADMITTED: Admission = Object.freeze({ ok: true, report: false });
const DROPPED: Admission = Object.freeze({ ok: false, report: false });
const REPORTED: Admission = Object.freeze({ ok: false, report: true });

/**
 * Whether a message may be handled: RATE_PER_SEC sustained, RATE_BURST at once.
 * `now` is the monotonic clock in ms (performance.now()), injected for tests.
 */
export function admitMessage(conn: Conn, now = performance.now()): Admission {
  const t = Math.floor(now);
  // RATE_PER_SEC messages a second are RATE_PER_SEC thousandths of a message a ms.
  conn.milliTokens = Math.min(RATE_BURST * 1000, conn.milliTokens + (t - conn.tokensAt) * RATE_PER_SEC);
  conn.tokensAt = t;
  if (conn.milliTokens >= 1000) {
    conn.milliTokens -= 1000;
    return ADMITTED;
  }
  if (t - conn.lastRateError < RATE_ERROR_INTERVAL_MS) return DROPPED;
  conn.lastRateError = t;
  return REPORTED;
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
    /** Each error sent, by code (the server's /metrics). */
    private readonly onError?: (code: string) => void,
  ) {}

  send(conn: Conn, msg: ServerMessage): void {
    // No callback: a failed write shows as the socket's error and close, handled there;
    // a closure per message was measurable at tens of thousands of signals a second (#9).
    if (this.writable(conn)) conn.ws.send(encodeMessage(msg));
  }

  /** send() for a message already encoded (a relayed signal: signal-relay.ts). */
  sendText(conn: Conn, text: string): void {
    if (this.writable(conn)) conn.ws.send(text);
  }

  /** Whether `conn` takes a message now; a client that does not read is dropped. */
  private writable(conn: Conn): boolean {
    if (conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount > this.maxSendBuffered) {
      // A client that does not read must not make us hold its messages without bound.
      this.log.warn('client is not reading, dropping it', { conn: conn.id, peer: conn.peer?.name, remote: remoteOf(conn), buffered: conn.ws.bufferedAmount });
      conn.ws.terminate();
      return false;
    }
    return true;
  }

  reject(conn: Conn, err: P2prcError, ref?: string): void {
    this.log.warn('rejected message', { conn: conn.id, peer: conn.peer?.name, code: err.code, ref, reason: err.message });
    this.error(conn, err.code, err.message, ref);
  }

  error(conn: Conn, code: string, message: string, ref?: string): void {
    this.onError?.(code);
    this.send(conn, { type: 'error', code, message, ref: ref || undefined });
  }
}

/** One frame from a client: the validated message and its text, or why it is refused (and the type it named, for `ref`). */
export function decodeFrame(data: RawData, isBinary: boolean): { msg: ClientMessage; text: string } | { err: P2prcError; ref?: string } {
  // ws hands a Buffer (its default binaryType); Buffer.from(buffer) would copy it.
  const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  if (isBinary) return { err: new P2prcError(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text') };
  try {
    return decodeClientFrame(raw);
  } catch (err) {
    const ref = raw.length <= MAX_MESSAGE_BYTES ? peekType(raw) : undefined;
    return { err: err instanceof P2prcError ? err : new P2prcError(ErrorCode.BadMessage, String(err)), ref };
  }
}
