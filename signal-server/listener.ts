/**
 * The signal server's listening side: an HTTP (or HTTPS, for `wss://`) server
 * with the WebSocket server on it, hardened for a public host: a handshake
 * timeout for TCP connections that never finish their handshake, a connection
 * cap below the descriptor limit, and the per-IP connection cap at the upgrade
 * (HTTP 429).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../src/util/log.js';
import { clientIp } from './connection.js';
import { connectionCap, type FdWatch } from './fd-watch.js';
import { handleHttp, type Health } from './http.js';
import type { SignalLimits } from './limits.js';

/** Frames above this are cut by ws itself (close 1009); up to it we answer too-large and carry on. */
const WS_HARD_MAX_PAYLOAD = 1024 * 1024;

export interface ListenerOptions {
  host: string;
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  limits: SignalLimits;
  /** Open connections from this IP (for the per-IP cap). */
  connsOf: (ip: string) => number;
  health: () => Health;
  /** More HTTP routes (e.g. GET /proxies): true when the request was handled. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
  onConnection: (ws: WebSocket, req: IncomingMessage) => void;
  /**
   * The class of the sockets (ws's `WebSocket` option). The server keeps its own
   * table of connections, so ws's (clientTracking, a set and a close listener per
   * socket) is off.
   */
  socketClass?: new (address: null, protocols?: undefined, options?: object) => WebSocket;
  fds: FdWatch;
  log: Logger;
}

/**
 * Closes the TCP (or, for `wss://`, TLS) connections that have not completed a
 * WebSocket handshake within `ms`, by one sweep for all of them. It replaces
 * http.setTimeout, which left a cleared timer on every upgraded socket for the
 * socket's life: ~150 bytes per peer at 10,000 peers (#9).
 */
export class HandshakeDeadline {
  private readonly pending = new Map<Socket, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ms: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(10, Math.min(1000, ms / 4)));
    this.timer.unref();
  }

  /** A new connection: it has `ms` to complete its handshake. */
  add(socket: Socket): void {
    this.pending.set(socket, this.now());
  }

  /** Its handshake completed (or it is gone): no deadline any more. */
  done(socket: Socket): void {
    this.pending.delete(socket);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Destroy the connections past their deadline; forget the ones already closed. */
  sweep(): void {
    const now = this.now();
    for (const [socket, at] of this.pending) {
      if (socket.destroyed) this.pending.delete(socket);
      else if (now - at >= this.ms) {
        this.pending.delete(socket);
        socket.destroy();
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.pending.clear();
  }
}

/** Create and start the HTTP(S) and WebSocket servers; resolves once listening. */
export async function startListener(o: ListenerOptions): Promise<{ http: HttpServer; wss: WebSocketServer; address: AddressInfo }> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (!o.routes?.(req, res)) handleHttp(req, res, o.health());
  };
  const http: HttpServer = o.tls ? createTlsServer({ cert: o.tls.cert, key: o.tls.key, handshakeTimeout: o.limits.handshakeTimeoutMs }, onRequest) : createServer(onRequest);
  // A connection that never completes its handshake is closed (for TLS, the TLS handshake has handshakeTimeout above).
  const deadline = new HandshakeDeadline(o.limits.handshakeTimeoutMs);
  http.on(o.tls ? 'secureConnection' : 'connection', (socket: Socket) => deadline.add(socket));
  http.on('close', () => deadline.close());
  const cap = connectionCap();
  if (cap !== undefined) http.maxConnections = cap;
  http.on('drop', (d?: { remoteAddress?: string }) => o.fds.dropped(d?.remoteAddress));
  const wss = new WebSocketServer({
    server: http,
    maxPayload: WS_HARD_MAX_PAYLOAD,
    ...(o.socketClass ? { WebSocket: o.socketClass as unknown as typeof WebSocket, clientTracking: false } : {}),
    verifyClient: (info, cb) => {
      const ip = clientIp(info.req);
      if (o.limits.maxConnsPerIp > 0 && o.connsOf(ip) >= o.limits.maxConnsPerIp) {
        o.log.warn('connection refused: too many from this address', { remote: ip, limit: o.limits.maxConnsPerIp });
        cb(false, 429, `too many connections from ${ip}`);
        return;
      }
      cb(true);
    },
  });
  wss.on('connection', (ws, req) => {
    deadline.done(req.socket);
    o.onConnection(ws, req);
  });
  wss.on('error', (err) => o.log.error('websocket server error', { err }));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (err) => o.log.error('http server error', { err }));
  return { http, wss, address: http.address() as AddressInfo };
}
