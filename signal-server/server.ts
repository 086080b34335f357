/**
 * The signal server: WebSocket signalling on an HTTP server (GET /healthz).
 * Brokers offers/answers/candidates between registered peers, tells who is
 * online, hands out ICE servers, and logs the routes peers report.
 *
 * Robustness contract: no input from a peer can crash the process or disturb
 * another peer. Every rejected message gets an `error` reply with a code and a
 * log line; the connection stays open.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  PROTOCOL_VERSION,
  MAX_MESSAGE_BYTES,
  decodeClientMessage,
  encodeMessage,
  peekType,
  registerChallenge,
  type ClientMessage,
  type IceServerConfig,
  type NatInfo,
  type PeerInfo,
  type ServerMessage,
  type RegisterMessage,
  type RouteReport,
  type SignalPayload,
} from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import { peerIdFromPublicKey, verifySignature } from '../src/identity/keys.js';
import { MappingLog } from '../src/mapping/log.js';
import { createLogger, type Logger } from '../src/util/log.js';
import { Registry } from './registry.js';
import { TokenBucket } from './rate-limit.js';
import { TurnServer, type TurnServerOptions } from './turn/server.js';
import { restPassword, restUsername } from '../src/stun/credentials.js';

/** Frames above this are cut by ws itself (close 1009); up to it we answer too-large and carry on. */
const WS_HARD_MAX_PAYLOAD = 1024 * 1024;
/** Sustained messages per second per connection, and burst. Signalling needs a few dozen per session. */
const RATE_PER_SEC = 100;
const RATE_BURST = 200;
/** At most one rate-limit error per connection per this interval, so a flood is not echoed back. */
const RATE_ERROR_INTERVAL_MS = 1000;
/** WebSocket ping interval; a peer that misses two is dropped (and others told it left). */
const HEARTBEAT_MS = 15_000;
/** Do not queue more than this for a slow receiver; the sender is told `peer-congested`. */
const MAX_PEER_BUFFERED = 4 * 1024 * 1024;
/**
 * Relay credentials are valid this long. A relayed session must refresh its
 * allocation with them, so they outlive any sensible session; coturn's REST
 * examples use a day too.
 */
export const CREDENTIAL_TTL_S = 24 * 3600;
/** A peer's allocations outlive its signalling connection by this much (a reconnect keeps them). */
const RELAY_RELEASE_GRACE_MS = 5000;

export interface SignalServerOptions {
  host?: string;
  port?: number;
  /** Where the server's mapping log lives; no log when omitted. */
  dataDir?: string;
  /** External STUN/TURN servers (URLs) handed to peers; `turn:` ones get REST credentials from `secret`. */
  iceServers?: string[];
  /** When set, peers must present it to register, and it signs relay credentials (coturn `use-auth-secret`). */
  secret?: string;
  /** Our own STUN/TURN relay; omitted: none. */
  turn?: Omit<TurnServerOptions, 'secret' | 'protectedPorts' | 'mapping' | 'logger' | 'name'>;
  /** Name in logs and mapping rows. */
  name?: string;
  logger?: Logger;
}

interface Conn {
  id: number;
  ws: WebSocket;
  nonce: string;
  remote: string;
  /** Our address as this peer reached it: what we advertise for the relay when bound to 0.0.0.0. */
  localAddress: string;
  peer?: PeerInfo;
  bucket: TokenBucket;
  lastRateError: number;
  alive: boolean;
}

export class SignalServer {
  private readonly opts: SignalServerOptions;
  private readonly log: Logger;
  private readonly registry = new Registry<Conn>();
  private readonly conns = new Set<Conn>();
  private readonly mapping?: MappingLog;
  private http?: HttpServer;
  private wss?: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;
  private nextId = 1;
  private startedAt = Date.now();
  /** Signs relay credentials: the configured secret, else a random one (the relay is never open). */
  private readonly relaySecret: string;
  private turn?: TurnServer;
  private readonly releaseTimers = new Map<string, NodeJS.Timeout>();

  constructor(opts: SignalServerOptions = {}) {
    this.opts = opts;
    this.log = opts.logger ?? createLogger('signal');
    if (opts.dataDir) this.mapping = new MappingLog(opts.dataDir);
    this.relaySecret = opts.secret ?? randomBytes(32).toString('base64url');
  }

  /** The STUN/TURN relay, when enabled and listening. */
  get relay(): TurnServer | undefined {
    return this.turn;
  }

  get name(): string {
    return this.opts.name ?? 'p2prc-signal';
  }

  async listen(): Promise<AddressInfo> {
    const http = createServer((req, res) => this.onHttp(req, res));
    const wss = new WebSocketServer({ server: http, maxPayload: WS_HARD_MAX_PAYLOAD });
    wss.on('connection', (ws, req) => this.onConnection(ws, req));
    wss.on('error', (err) => this.log.error('websocket server error', { err }));
    this.http = http;
    this.wss = wss;
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(this.opts.port ?? 8088, this.opts.host ?? '127.0.0.1', () => {
        http.off('error', reject);
        resolve();
      });
    });
    http.on('error', (err) => this.log.error('http server error', { err }));
    if (this.opts.turn) {
      this.turn = new TurnServer({
        ...this.opts.turn,
        secret: this.relaySecret,
        protectedPorts: [(http.address() as AddressInfo).port],
        ...(this.mapping ? { mapping: this.mapping } : {}),
        name: this.name,
        logger: this.log.child('turn'),
      });
      try {
        await this.turn.listen();
      } catch (err) {
        await new Promise<void>((r) => http.close(() => r()));
        throw err;
      }
    }
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.startedAt = Date.now();
    const addr = http.address() as AddressInfo;
    this.log.info('signal server listening', { address: `${addr.address}:${addr.port}`, secret: this.opts.secret ? 'required' : 'none' });
    return addr;
  }

  address(): AddressInfo {
    if (!this.http) throw new Error('not listening');
    return this.http.address() as AddressInfo;
  }

  /** Online peers. */
  peers(): PeerInfo[] {
    return this.registry.list();
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const t of this.releaseTimers.values()) clearTimeout(t);
    await this.turn?.close();
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.mapping?.flush();
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url === '/healthz/')) {
      const body = JSON.stringify({ status: 'ok', name: this.name, peers: this.registry.size, uptimeSec: Math.round((Date.now() - this.startedAt) / 1000), protocol: PROTOCOL_VERSION });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the signal server speaks WebSocket; GET /healthz for status\n');
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn: Conn = {
      id: this.nextId++,
      ws,
      nonce: randomBytes(24).toString('base64url'),
      remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      localAddress: (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      bucket: new TokenBucket(RATE_PER_SEC, RATE_BURST),
      lastRateError: 0,
      alive: true,
    };
    this.conns.add(conn);
    this.log.debug('connection', { conn: conn.id, remote: conn.remote });
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(conn, data, isBinary);
      } catch (err) {
        // Last line of defence: a bug in a handler must not take the process down.
        this.log.error('internal error handling message', { conn: conn.id, err });
        this.sendError(conn, ErrorCode.Internal, 'internal server error');
      }
    });
    ws.on('close', (code) => this.onClose(conn, code));
    ws.on('error', (err) => this.log.warn('connection error', { conn: conn.id, peer: conn.peer?.name, err }));
    this.send(conn, { type: 'hello', v: PROTOCOL_VERSION, nonce: conn.nonce, server: this.name, secretRequired: !!this.opts.secret });
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    if (!conn.bucket.take()) {
      const now = Date.now();
      if (now - conn.lastRateError >= RATE_ERROR_INTERVAL_MS) {
        conn.lastRateError = now;
        this.log.warn('rate limit exceeded, dropping messages', { conn: conn.id, peer: conn.peer?.name });
        this.sendError(conn, ErrorCode.RateLimited, `more than ${RATE_PER_SEC} messages/s; messages are being dropped`);
      }
      return;
    }
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      this.reject(conn, new P2prcError(ErrorCode.BadMessage, 'binary frames are not part of the protocol; send JSON text'));
      return;
    }
    let msg: ClientMessage;
    try {
      msg = decodeClientMessage(raw);
    } catch (err) {
      const ref = raw.length <= MAX_MESSAGE_BYTES ? peekType(raw) : undefined;
      this.reject(conn, err instanceof P2prcError ? err : new P2prcError(ErrorCode.BadMessage, String(err)), ref);
      return;
    }
    if (msg.type === 'register') return this.onRegister(conn, msg);
    if (msg.type === 'ping') return this.send(conn, { type: 'pong', ...(msg.id !== undefined ? { id: msg.id } : {}) });
    const peer = conn.peer;
    if (!peer) {
      this.reject(conn, new P2prcError(ErrorCode.NotRegistered, `register before sending "${msg.type}"`), msg.type);
      return;
    }
    switch (msg.type) {
      case 'list':
        this.send(conn, { type: 'peers', peers: this.registry.list().filter((p) => p.peerId !== peer.peerId) });
        return;
      case 'signal':
        this.onSignal(conn, peer, msg.to, msg.payload);
        return;
      case 'route':
        this.onRoute(peer, msg);
        return;
      case 'nat':
        this.onNat(conn, peer, msg.nat);
        return;
    }
  }

  private onRegister(conn: Conn, msg: RegisterMessage): void {
    if (conn.peer) {
      this.reject(conn, new P2prcError(ErrorCode.AlreadyRegistered, `already registered as ${conn.peer.name}`), 'register');
      return;
    }
    if (msg.v !== PROTOCOL_VERSION) {
      this.reject(conn, new P2prcError(ErrorCode.UnsupportedVersion, `protocol v${msg.v} not supported; this server speaks v${PROTOCOL_VERSION}`), 'register');
      return;
    }
    if (this.opts.secret !== undefined && msg.secret !== this.opts.secret) {
      this.reject(conn, new P2prcError(ErrorCode.BadSecret, msg.secret === undefined ? 'this server requires a secret (--secret or P2PRC_SECRET)' : 'wrong secret'), 'register');
      return;
    }
    if (!verifySignature(msg.publicKey, registerChallenge(conn.nonce, msg.name), msg.signature)) {
      this.reject(conn, new P2prcError(ErrorCode.BadSignature, 'register signature does not verify: sign the server nonce with the key you present'), 'register');
      return;
    }
    const peerId = peerIdFromPublicKey(Buffer.from(msg.publicKey, 'base64'));
    const holder = this.registry.nameHolder(msg.name, peerId);
    if (holder) {
      this.reject(conn, new P2prcError(ErrorCode.NameTaken, `name "${msg.name}" is held by online peer ${holder.peerId} with another key`), 'register');
      return;
    }
    const info: PeerInfo = { peerId, name: msg.name, publicKey: msg.publicKey };
    const previous = this.registry.get(peerId);
    if (previous) {
      // Same key again (a restarted peer whose old socket is not closed yet): the new connection wins.
      this.log.info('peer reconnected, replacing old connection', { peer: msg.name, peerId });
      this.registry.remove(peerId, previous.conn);
      previous.conn.peer = undefined;
      this.broadcast({ type: 'presence', event: 'leave', peer: previous.info }, peerId);
      previous.conn.ws.close(4000, 'replaced by a new connection');
    }
    conn.peer = info;
    this.registry.add(info, conn);
    const pendingRelease = this.releaseTimers.get(peerId);
    if (pendingRelease) {
      clearTimeout(pendingRelease);
      this.releaseTimers.delete(peerId);
    }
    this.send(conn, {
      type: 'registered',
      peerId,
      name: msg.name,
      iceServers: this.iceServersFor(conn, peerId),
      peers: this.registry.list().filter((p) => p.peerId !== peerId),
    });
    this.broadcast({ type: 'presence', event: 'join', peer: info }, peerId);
    this.log.info('peer registered', { peer: msg.name, peerId, remote: conn.remote, online: this.registry.size });
  }

  /** ICE servers for one peer: our relay and external ones, with REST credentials for TURN. */
  iceServersFor(conn: { localAddress: string }, peerId: string): IceServerConfig[] {
    const username = restUsername(Math.floor(Date.now() / 1000) + CREDENTIAL_TTL_S, peerId);
    const credential = restPassword(this.relaySecret, username);
    const out: IceServerConfig[] = [];
    if (this.turn) {
      const adv = this.turn.advertisedAddress;
      const host = adv === '0.0.0.0' || adv === '::' ? conn.localAddress : adv;
      out.push({ urls: [`stun:${host}:${this.turn.port}`, `turn:${host}:${this.turn.port}?transport=udp`], username, credential });
    }
    for (const url of this.opts.iceServers ?? []) {
      out.push(/^turns?:/i.test(url) ? { urls: url, username, credential } : { urls: url });
    }
    return out;
  }

  private onSignal(conn: Conn, from: PeerInfo, to: string, payload: SignalPayload): void {
    const target = this.registry.get(to);
    if (!target) {
      this.reject(conn, new P2prcError(ErrorCode.PeerOffline, `peer ${to} is not online`), 'signal');
      return;
    }
    if (target.conn.ws.bufferedAmount > MAX_PEER_BUFFERED) {
      this.reject(conn, new P2prcError(ErrorCode.PeerCongested, `peer ${target.info.name} is not reading; message dropped`), 'signal');
      return;
    }
    this.send(target.conn, { type: 'signal', from, payload });
  }

  /** A peer published its NAT behaviour: keep it in its presence entry and tell the others. */
  private onNat(conn: Conn, peer: PeerInfo, nat: NatInfo): void {
    const info: PeerInfo = { ...peer, nat };
    conn.peer = info;
    this.registry.add(info, conn);
    this.broadcast({ type: 'presence', event: 'update', peer: info }, info.peerId);
    this.log.info('peer NAT behaviour', { peer: info.name, natted: nat.natted, mapping: nat.mapping, filtering: nat.filtering });
  }

  private onRoute(peer: PeerInfo, msg: RouteReport): void {
    const other = this.registry.get(msg.peer)?.info;
    this.log.info('route reported', { peer: peer.name, to: other?.name ?? msg.peer, kind: msg.kind, remote: `${msg.remote.type} ${msg.remote.address}:${msg.remote.port}` });
    this.mapping?.add({
      Server_name: this.name,
      Address: msg.remote.address,
      Type: 'UDP',
      blind_port: msg.remote.port,
      role: 'server',
      peer: peer.peerId,
      peer_name: peer.name,
      route: msg.kind,
      local_candidate: msg.local,
      remote_candidate: msg.remote,
      ...(msg.setupMs !== undefined ? { setup_ms: msg.setupMs } : {}),
      ...(other ? { service: `to ${other.name} (${other.peerId})` } : { service: `to ${msg.peer}` }),
    });
  }

  private onClose(conn: Conn, code: number): void {
    this.conns.delete(conn);
    const peer = conn.peer;
    if (!peer) return;
    const removed = this.registry.remove(peer.peerId, conn);
    if (removed) {
      if (this.turn) {
        const turn = this.turn;
        const t = setTimeout(() => {
          this.releaseTimers.delete(removed.peerId);
          turn.releaseUser(removed.peerId);
        }, RELAY_RELEASE_GRACE_MS);
        t.unref();
        this.releaseTimers.set(removed.peerId, t);
      }
      this.broadcast({ type: 'presence', event: 'leave', peer: removed }, removed.peerId);
      this.log.info('peer left', { peer: removed.name, peerId: removed.peerId, code, online: this.registry.size });
    }
  }

  private beat(): void {
    for (const c of this.conns) {
      if (!c.alive) {
        this.log.warn('peer missed heartbeats, dropping', { conn: c.id, peer: c.peer?.name });
        c.ws.terminate();
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

  private broadcast(msg: ServerMessage, except: string): void {
    for (const { info, conn } of this.registry.entries()) if (info.peerId !== except) this.send(conn, msg);
  }

  private send(conn: Conn, msg: ServerMessage): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(encodeMessage(msg), (err) => {
      if (err) this.log.debug('send failed', { conn: conn.id, err });
    });
  }

  private reject(conn: Conn, err: P2prcError, ref?: string): void {
    this.log.warn('rejected message', { conn: conn.id, peer: conn.peer?.name, code: err.code, ref, reason: err.message });
    this.sendError(conn, err.code, err.message, ref);
  }

  private sendError(conn: Conn, code: string, message: string, ref?: string): void {
    this.send(conn, { type: 'error', code, message, ...(ref ? { ref } : {}) });
  }
}
