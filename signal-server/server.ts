/**
 * The signal server: WebSocket signalling on an HTTP server (GET /healthz).
 * Brokers offers/answers/candidates between registered peers, tells who is
 * online, hands out ICE servers, and logs the routes peers report.
 *
 * Robustness contract: no input from a peer can crash the process or disturb
 * another peer. Every rejected message gets an `error` reply with a code and a
 * log line; the connection stays open.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocket, type WebSocketServer, type RawData } from 'ws';
import {
  PROTOCOL_VERSION,
  type IceServerConfig,
  type PeerInfo,
  type PublicPortsRequest,
} from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import { MappingLog } from '../src/mapping/log.js';
import { createLogger, type Logger } from '../src/util/log.js';
import { Registry } from './registry.js';
import { TurnServer, type TurnServerOptions } from './turn/server.js';
import { SignalMetrics } from './metrics.js';
import { CREDENTIAL_TTL_S, iceServersFor } from './ice-servers.js';
import { admitMessage, decodeFrame, newConn, RATE_PER_SEC, Replies, remoteOf, connSocketClass, type Conn, type ConnSocket } from './connection.js';
import { DEFAULT_LIMITS, IpLimiter, type SignalLimits } from './limits.js';
import { FdWatch } from './fd-watch.js';
import { admitPeer, type AdmitContext } from './admit-peer.js';
import { onNat, onRoute, onServices, onSignal, type PeerMessageContext } from './peer-messages.js';
import { startListener } from './listener.js';
import { ConnTable, TICK_MS } from './conn-table.js';
import { RelayRelease } from './relay-release.js';
import { Presence } from './presence.js';
import { NameBook, NAME_IDLE_RELEASE_MS, MAX_NAME_BINDINGS, describeIdle } from './names.js';
import type { ReverseProxy, ReverseProxyOptions } from './reverse-proxy/proxy.js';
import type { ProxyPeers } from './proxy-peers.js';
import { startReverseProxy } from './reverse-proxy/start.js';
import { WebUi } from './web/web-ui.js';
import { RouteBook, allocationView, type SnapshotSources } from './web/snapshot.js';

export { CREDENTIAL_TTL_S };

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
  turn?: Omit<TurnServerOptions, 'secret' | 'protectedPorts' | 'mapping' | 'logger' | 'name' | 'ownerOnline' | 'httpsFallback'>;
  /** Name in logs and mapping rows. */
  name?: string;
  /**
   * Serve signalling over TLS (`wss://`): PEM certificate chain and key. Peers
   * then use `wss://host:port` (a private CA: NODE_EXTRA_CA_CERTS=ca.pem).
   */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** A name's binding to its key is released after its holder has been offline this long (default NAME_IDLE_RELEASE_MS). */
  nameIdleMs?: number;
  /** At most this many name bindings; the longest idle is evicted beyond (default MAX_NAME_BINDINGS). */
  maxNameBindings?: number;
  /**
   * Reverse-proxy mode: public ports for peers' services (./reverse-proxy). Needs
   * `dataDir` (the proxy's own peer identity and its port table live there). The
   * proxy's peer runs node-datachannel in this process: like any user of it, the
   * process calls its `cleanup()` before exiting (its native threads hold it).
   */
  reverseProxy?: Omit<ReverseProxyOptions, 'dataDir' | 'bindHost' | 'secret' | 'mapping' | 'log'> & {
    /** Other proxies' signalling URLs (--peer-proxy): lists are exchanged with them (GET /proxies). */
    peerProxies?: string[];
    /** How often the lists are exchanged (default PROXY_EXCHANGE_MS). */
    exchangeMs?: number;
  };
  /** What one client may cost (defaults: DEFAULT_LIMITS). */
  limits?: Partial<SignalLimits>;
  logger?: Logger;
}

export class SignalServer {
  private readonly opts: SignalServerOptions;
  private readonly log: Logger;
  private readonly registry = new Registry<Conn>();
  /**
   * Every open connection (each socket carries its own: ConnSocket), in
   * heartbeat slots, so that a tick visits only the connections it pings.
   */
  private readonly conns = new ConnTable();
  /** The sockets' class: their events go to these handlers, with no listeners per socket. */
  private readonly socketClass = connSocketClass({
    message: (conn, data, isBinary) => this.guardedMessage(conn, data, isBinary),
    close: (conn, code) => this.onClose(conn, code),
    error: (conn, err) => this.log.warn('connection error', { conn: conn?.id, peer: conn?.peer?.name, err }),
  });
  /** Who hears about whom: presence by lookup and by signalling, never broadcast. */
  private readonly presence = new Presence<Conn>(this.registry, (c, m) => this.out.send(c, m));
  private readonly mapping?: MappingLog;
  private http?: HttpServer;
  private wss?: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;
  private nextId = 1;
  private startedAt = Date.now();
  /** Signs relay credentials: the configured secret, else a random one (the relay is never open). */
  private readonly relaySecret: string;
  private turn?: TurnServer;
  private proxy?: ReverseProxy;
  private proxyPeers?: ProxyPeers;
  /** Frees a departed peer's allocations after a grace period. */
  private readonly releases = new RelayRelease((peerId) => this.turn?.releaseUser(peerId));
  private readonly limits: SignalLimits;
  /** Bounded sends and logged refusals. */
  private readonly out: Replies;
  /** What the peer-message handlers (signal, nat, route) work on. */
  private readonly msgs: PeerMessageContext;
  private readonly admit: AdmitContext;
  private readonly perIp: IpLimiter;
  private readonly fds: FdWatch;
  /** Name -> key bindings, first come first served, kept across restarts (names.json in the data dir). */
  private readonly names: NameBook;
  /** GET /metrics (Prometheus). */
  readonly metrics: SignalMetrics;
  /** The browser peer page and the dashboard (web/web-ui.ts). */
  private readonly web: WebUi;
  private readonly routeBook = new RouteBook();

  constructor(opts: SignalServerOptions = {}) {
    this.opts = opts;
    this.log = opts.logger ?? createLogger('signal');
    if (opts.dataDir) this.mapping = new MappingLog(opts.dataDir);
    this.relaySecret = opts.secret ?? randomBytes(32).toString('base64url');
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.metrics = new SignalMetrics({ peersOnline: () => this.registry.size, routesByKind: () => this.routeBook.byKind(), relay: () => this.turn });
    this.out = new Replies(this.log, this.limits.maxSendBuffered, (code) => this.metrics.error(code));
    this.web = new WebUi({ secret: opts.secret, tls: !!opts.tls, sources: () => this.dashboardSources(), log: this.log.child('web') });
    this.msgs = {
      registry: this.registry,
      presence: this.presence,
      out: this.out,
      log: this.log,
      limits: this.limits,
      mapping: this.mapping,
      serverName: this.name,
      routes: this.routeBook,
      changed: () => this.web.poke(),
    };
    this.perIp = new IpLimiter(this.limits);
    this.fds = new FdWatch((msg, fields) => this.log.warn(msg, fields));
    this.names = new NameBook({
      dataDir: opts.dataDir,
      idleMs: opts.nameIdleMs ?? NAME_IDLE_RELEASE_MS,
      maxBindings: opts.maxNameBindings ?? MAX_NAME_BINDINGS,
      online: (name, peerId) => this.registry.idForName(name) === peerId,
      log: (msg, fields) => this.log.info(msg, fields),
    });
    this.admit = {
      registry: this.registry,
      presence: this.presence,
      out: this.out,
      log: this.log,
      perIp: this.perIp,
      names: this.names,
      releases: this.releases,
      secret: opts.secret,
      nameRelease: {
        idle: describeIdle(opts.nameIdleMs ?? NAME_IDLE_RELEASE_MS),
        command: `p2prc release-name${opts.dataDir ? ` --data-dir ${opts.dataDir}` : ''}`,
      },
      iceServersFor: (conn, peerId) => this.iceServersFor(conn, peerId),
      changed: () => this.web.poke(),
    };
  }

  /** The STUN/TURN relay, when enabled and listening. */
  get relay(): TurnServer | undefined {
    return this.turn;
  }

  get name(): string {
    return this.opts.name ?? 'p2prc-signal';
  }

  async listen(): Promise<AddressInfo> {
    const { http, wss } = await startListener({
      host: this.opts.host ?? '127.0.0.1',
      port: this.opts.port ?? 8088,
      tls: this.opts.tls,
      limits: this.limits,
      connsOf: (ip) => this.perIp.connsOf(ip),
      socketClass: this.socketClass,
      health: () => ({ name: this.name, peers: this.registry.size, startedAt: this.startedAt }),
      routes: (req, res) => this.metrics.handle(req, res) || this.web.handle(req, res) || (this.proxyPeers?.handle(req, res) ?? false),
      onConnection: (ws, req) => this.onConnection(ws, req),
      fds: this.fds,
      log: this.log,
    });
    this.http = http;
    this.wss = wss;
    if (this.opts.turn) {
      this.turn = new TurnServer({
        ...this.opts.turn,
        secret: this.relaySecret,
        protectedPorts: [(http.address() as AddressInfo).port],
        mapping: this.mapping,
        name: this.name,
        // Relay credentials work while their peer is online here, or within the reconnect grace.
        ownerOnline: (user) => this.registry.get(user) !== undefined || this.releases.pending(user),
        logger: this.log.child('turn'),
        // Signalling on the TURN/TLS port too (a firewall that passes only 443): what is not TURN there is HTTP(S).
        httpsFallback: (sock) => http.emit(this.opts.tls ? 'secureConnection' : 'connection', sock),
      });
      try {
        await this.turn.listen();
      } catch (err) {
        await new Promise<void>((r) => http.close(() => r()));
        throw err;
      }
    }
    this.heartbeat = setInterval(() => this.beat(), TICK_MS);
    this.heartbeat.unref();
    this.startedAt = Date.now();
    const addr = http.address() as AddressInfo;
    if (this.opts.reverseProxy) {
      this.proxyStarting = this.startProxy(addr).finally(() => (this.proxyStarting = undefined));
      await this.proxyStarting;
    }
    this.log.info('signal server listening', { address: `${addr.address}:${addr.port}`, tls: !!this.opts.tls, secret: this.opts.secret ? 'required' : 'none' });
    return addr;
  }

  /** The reverse proxy's own peer: a PeerNode in this process, registered here. */
  private async startProxy(addr: AddressInfo): Promise<void> {
    if (!this.opts.dataDir) throw new P2prcError(ErrorCode.BadArgument, 'the reverse proxy needs a data dir');
    try {
      const started = await startReverseProxy({
        host: this.opts.host ?? '127.0.0.1',
        port: addr.port,
        tls: this.opts.tls,
        dataDir: this.opts.dataDir,
        secret: this.opts.secret,
        name: this.name,
        mapping: this.mapping,
        log: this.log,
        options: this.opts.reverseProxy ?? {},
      });
      this.proxy = started.proxy;
      this.proxyPeers = started.peers;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Set while the reverse proxy starts (listen()), so public-port requests made meanwhile wait for it. */
  private proxyStarting?: Promise<void>;

  /** The reverse proxy, when enabled and started. */
  get reverseProxy(): ReverseProxy | undefined {
    return this.proxy;
  }

  address(): AddressInfo {
    if (!this.http) throw new P2prcError(ErrorCode.Internal, 'not listening');
    return this.http.address() as AddressInfo;
  }

  /** Online peers. */
  peers(): PeerInfo[] {
    return this.registry.list();
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.web.close();
    this.releases.clear();
    this.proxyPeers?.close();
    await this.proxy?.close().catch((err: unknown) => this.log.warn('reverse proxy did not close cleanly', { err }));
    this.proxy = undefined;
    await this.turn?.close();
    for (const c of this.conns.drain()) {
      clearTimeout(c.registerDeadline);
      c.ws.terminate();
    }
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.mapping?.flush();
    this.names.close();
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const conn = newConn(this.nextId++, ws, req);
    this.conns.add(conn);
    (ws as ConnSocket).conn = conn;
    this.perIp.openConn(conn.ip);
    conn.registerDeadline = setTimeout(() => {
      if (conn.peer) return;
      this.log.warn('connection did not register in time, closing', { conn: conn.id, remote: remoteOf(conn), ms: this.limits.registerDeadlineMs });
      this.out.error(conn, ErrorCode.Timeout, `no register within ${this.limits.registerDeadlineMs} ms`);
      ws.close(4001, 'register timeout');
    }, this.limits.registerDeadlineMs);
    conn.registerDeadline.unref();
    this.log.debug('connection', { conn: conn.id, remote: remoteOf(conn) });
    this.out.send(conn, { type: 'hello', v: PROTOCOL_VERSION, nonce: conn.nonce, server: this.name, secretRequired: !!this.opts.secret, ...(this.opts.reverseProxy ? { reverseProxy: true } : {}) });
  }

  private guardedMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    try {
      this.onMessage(conn, data, isBinary);
    } catch (err) {
      // Last line of defence: a bug in a handler must not take the process down.
      this.log.error('internal error handling message', { conn: conn.id, err });
      this.out.error(conn, ErrorCode.Internal, 'internal server error');
    }
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    const admitted = admitMessage(conn);
    if (!admitted.ok) {
      if (admitted.report) {
        this.log.warn('rate limit exceeded, dropping messages', { conn: conn.id, peer: conn.peer?.name });
        this.out.error(conn, ErrorCode.RateLimited, `more than ${RATE_PER_SEC} messages/s; messages are being dropped`);
      }
      return;
    }
    const frame = decodeFrame(data, isBinary);
    if ('err' in frame) {
      this.out.reject(conn, frame.err, frame.ref);
      return;
    }
    const msg = frame.msg;
    this.metrics.message(msg.type);
    if (msg.type === 'register') return admitPeer(this.admit, conn, msg);
    if (msg.type === 'ping') return this.out.send(conn, { type: 'pong', id: msg.id });
    const peer = conn.peer;
    if (!peer) {
      this.out.reject(conn, new P2prcError(ErrorCode.NotRegistered, `register before sending "${msg.type}"`), msg.type);
      return;
    }
    switch (msg.type) {
      case 'list':
        this.out.send(conn, this.presence.list(peer.peerId, msg.cursor, msg.limit));
        return;
      case 'lookup':
        this.out.send(conn, this.presence.lookup(conn, msg.targets));
        return;
      case 'signal':
        onSignal(this.msgs, conn, peer, msg.to, msg.payload, frame.text);
        return;
      case 'route':
        this.metrics.route(msg.kind);
        onRoute(this.msgs, conn, peer, msg);
        return;
      case 'nat':
        onNat(this.msgs, conn, peer, msg.nat);
        return;
      case 'services':
        onServices(this.msgs, conn, peer, msg.services);
        return;
      case 'public-ports':
        this.onPublicPorts(conn, peer, msg);
        return;
      case 'relay-release': {
        // Ports that are not this peer's allocations (expired, another user's, coturn's) are left alone.
        const freed = this.turn?.releaseOwned(peer.peerId, msg.ports) ?? 0;
        this.log.debug('relay allocations released by their owner', { peer: peer.name, ports: msg.ports.join(','), freed });
        return;
      }
    }
  }

  private onPublicPorts(conn: Conn, peer: PeerInfo, msg: PublicPortsRequest): void {
    const proxy = this.proxy;
    if (!proxy && this.proxyStarting) {
      // Signalling listens before the proxy's own peer is up: the peers of a restarted server
      // reconnect within that window. Their requests are answered once the proxy runs.
      this.proxyStarting.then(
        () => this.onPublicPorts(conn, peer, msg),
        () => undefined, // the server closes: the connection goes with it
      );
      return;
    }
    if (!proxy) {
      this.out.reject(conn, new P2prcError(ErrorCode.NotAProxy, `${this.name} gives no public ports (run it with --reverse-proxy)`), 'public-ports');
      return;
    }
    proxy.request(peer, conn.localAddress, msg).then(
      (reply) => {
        // Answered only while the asking connection is still the peer's.
        if (conn.peer?.peerId === peer.peerId) this.out.send(conn, reply);
      },
      (err: unknown) => this.out.reject(conn, err instanceof P2prcError ? err : new P2prcError(ErrorCode.Internal, 'public ports could not be set up'), 'public-ports'),
    );
  }

  /** What the dashboard reads (web/snapshot.ts): all of it is state the server keeps anyway. */
  private dashboardSources(): SnapshotSources {
    return {
      server: { name: this.name, startedAt: this.startedAt, relay: !!this.turn, reverseProxy: !!this.proxy },
      peers: this.registry.list(),
      routes: this.routeBook.list(),
      allocations: (this.turn?.allocations() ?? []).map(allocationView),
      mapping: this.mapping?.rows() ?? [],
    };
  }

  /** ICE servers for one peer: our relay and external ones, with REST credentials for TURN. */
  iceServersFor(conn: { localAddress: string }, peerId: string): IceServerConfig[] {
    const relay = this.turn ? { advertisedAddress: this.turn.advertisedAddress, port: this.turn.port, ...this.turn.streamEndpoints } : undefined;
    return iceServersFor({ secret: this.relaySecret, relay, external: this.opts.iceServers ?? [] }, conn.localAddress, peerId);
  }

  private onClose(conn: Conn, code: number): void {
    if (!this.conns.delete(conn)) return;
    clearTimeout(conn.registerDeadline);
    this.perIp.closeConn(conn.ip);
    this.presence.closed(conn);
    const peer = conn.peer;
    if (!peer) return;
    const removed = this.registry.remove(peer.peerId, conn);
    if (removed) {
      this.names.seen(removed.name, removed.peerId, removed.publicKey); // last online now: the idle clock starts
      if (this.turn) this.releases.schedule(removed.peerId);
      this.proxy?.peerLeft(removed.peerId);
      this.presence.notify('leave', removed, conn);
      this.routeBook.peerLeft(removed.peerId);
      this.web.poke();
      this.log.info('peer left', { peer: removed.name, peerId: removed.peerId, code, online: this.registry.size });
    }
  }

  private beat(): void {
    const drop = (c: Conn): void => {
      this.log.warn('peer missed heartbeats, dropping', { conn: c.id, peer: c.peer?.name });
      c.ws.terminate();
    };
    this.conns.tick(drop, () => {
      this.perIp.sweep();
      this.fds.check();
    });
  }
}
