/**
 * The signal server's listening side: an HTTP (or HTTPS, for `wss://`) server
 * with the WebSocket server on it, hardened for a public host: a handshake
 * timeout for TCP connections that never finish their handshake, a connection
 * cap below the descriptor limit, and the per-IP connection cap at the upgrade
 * (HTTP 429).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
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
  onConnection: (ws: WebSocket, req: IncomingMessage) => void;
  fds: FdWatch;
  log: Logger;
}

/** Create and start the HTTP(S) and WebSocket servers; resolves once listening. */
export async function startListener(o: ListenerOptions): Promise<{ http: HttpServer; wss: WebSocketServer; address: AddressInfo }> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => handleHttp(req, res, o.health());
  const http: HttpServer = o.tls ? createTlsServer({ cert: o.tls.cert, key: o.tls.key, handshakeTimeout: o.limits.handshakeTimeoutMs }, onRequest) : createServer(onRequest);
  // A TCP connection that never completes its handshake is closed (ws clears the timeout once upgraded).
  http.setTimeout(o.limits.handshakeTimeoutMs);
  const cap = connectionCap();
  if (cap !== undefined) http.maxConnections = cap;
  http.on('drop', (d?: { remoteAddress?: string }) => o.fds.dropped(d?.remoteAddress));
  const wss = new WebSocketServer({
    server: http,
    maxPayload: WS_HARD_MAX_PAYLOAD,
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
  wss.on('connection', (ws, req) => o.onConnection(ws, req));
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
