/**
 * PeerNode: a peer on the network, as wiring. Holds the identity, the
 * signal-server connection and the data-dir files, and joins the parts that do
 * the work: the start-up self-checks (self-checks.ts), punch coordination
 * (punch-coordinator.ts), peer resolution and key pinning (peer-resolver.ts) and
 * the session table with signal routing (session-table.ts). It reports each
 * session's route (log, server, `route` event) and hands incoming stream
 * channels to whoever serves them (the Exposer).
 */
import { EventEmitter } from 'node:events';
import type { DataChannel, IceServer } from 'node-datachannel';
import { Identity } from '../identity/keys.js';
import { KnownPeers } from '../identity/known-peers.js';
import { MappingLog } from '../mapping/log.js';
import { recordServer } from '../mapping/servers.js';
import { MAX_RELEASE_PORTS, type PeerInfo } from '../protocol/messages.js';
import type { NatReport } from '../nat/detect.js';
import type { PunchResult } from './punch-run.js';
import { PunchCoordinator } from './punch-coordinator.js';
import { isHard } from '../nat/punch-plan.js';
import { SignalClient } from './signal-client.js';
import { PeerSession } from './session.js';
import { describeRoute, toNdcIceServers, type Route } from './ice.js';
import { createLogger, type Logger } from '../util/log.js';
import type { ProbeResult } from '../stun-client/turn-probe.js';
import type { Mapping } from '../portmap/mapper.js';
import { SelfChecks } from './self-checks.js';
import { SessionTable, type SessionRole } from './session-table.js';
import { PeerResolver, PEER_WAIT_MS } from './peer-resolver.js';
import { resolveDataDir } from '../util/paths.js';
import { verifyDescription } from '../identity/signed-description.js';
import { formatPhases } from './setup-phases.js';
import { applySctpTuning, currentSctpTuning, describeSctp, type SctpTuning } from './sctp-settings.js';
import { installNdcLogger } from './ndc-log.js';
import { logNativeBuildOnce } from './native-build.js';
import { RelayPath, type RelayTransportMode } from '../relay-bridge/relay-path.js';

export { PEER_WAIT_MS };

export interface PeerNodeOptions {
  /** ws:// URL of the signal server. */
  server: string;
  name: string;
  dataDir?: string;
  secret?: string;
  forceRelay?: boolean;
  /** Local address ICE binds to; default all interfaces. */
  bindAddress?: string;
  /** Map our ICE port on the router (UPnP IGD, else NAT-PMP) and offer the mapped address. */
  upnp?: boolean;
  /** The local UDP port ICE uses with --upnp (default: random in 40000-49999). */
  icePort?: number;
  /**
   * Measure our NAT behaviour at start, publish it, and punch by port prediction
   * when one side's NAT is symmetric and the other's endpoint-independent (default true;
   * off with --force-relay and --upnp, which need neither).
   */
  punch?: boolean;
  /** Sessions accepted per minute from peers not connected to us (default STRANGER_SESSIONS_PER_MINUTE). */
  strangerSessionsPerMinute?: number;
  /**
   * SCTP settings for every session (default DEFAULT_SCTP_TUNING: 4 MiB buffers, the rest libdatachannel's stock).
   * They are process-wide: every PeerNode of a process must be given the same ones
   * (a P2prcError `bad-argument` otherwise), see sctp-settings.ts.
   */
  sctp?: SctpTuning;
  /**
   * How relays are reached (src/relay-bridge/relay-path.ts): `auto` (default)
   * bridges over TCP, then TLS, when UDP to the relay gets no answer; `udp`
   * never; `tcp`/`tls` always.
   */
  relayTransport?: RelayTransportMode;
  /** wss:// to a server whose certificate is pinned rather than checked against CAs (SignalClientOptions.pinnedCertSha256). */
  pinnedCertSha256?: string;
  logger?: Logger;
}

export interface PeerNodeEvents {
  /** A session's route: when it connects, and again if ICE moves to another pair (`previous` set). */
  route: [PeerInfo, Route, Route?];
  session: [PeerSession];
  /** An incoming stream channel from `session`'s peer. */
  stream: [PeerSession, DataChannel];
  /** Result of checking a TURN server from the ICE server list with our credentials. */
  relay: [string, ProbeResult];
  /** Our NAT behaviour, measured after registering. */
  nat: [NatReport];
}

export class PeerNode extends EventEmitter<PeerNodeEvents> {
  readonly identity: Identity;
  readonly dataDir: string;
  readonly name: string;
  readonly signal: SignalClient;
  readonly mapping: MappingLog;
  readonly knownPeers: KnownPeers;
  readonly log: Logger;
  private readonly opts: PeerNodeOptions;
  /** One session per remote peer, and the signals routed to them. */
  private readonly sessions: SessionTable<PeerSession>;
  private stopped = false;
  /** Port mapping, NAT check, relay probe. */
  private readonly checks: SelfChecks;
  /** Port-prediction punches: planning, runs, the other side's punch messages. */
  private readonly punches: PunchCoordinator;
  /** Names and ids to online peers, with key pinning. */
  private readonly resolver: PeerResolver;
  /** UDP to the relays, or the local bridge over TCP/TLS. */
  readonly relayPath: RelayPath;

  constructor(opts: PeerNodeOptions) {
    super();
    // First, before any PeerConnection of this process and any file written: a
    // configuration that conflicts with the process's one throws here.
    const sctpApplied = applySctpTuning(opts.sctp);
    this.opts = opts;
    this.name = opts.name;
    this.dataDir = resolveDataDir(opts.dataDir);
    this.identity = Identity.loadOrCreate(this.dataDir);
    this.knownPeers = new KnownPeers(this.dataDir);
    this.mapping = new MappingLog(this.dataDir);
    this.log = opts.logger ?? createLogger(`peer:${opts.name}`);
    if (sctpApplied) this.log.info('sctp settings applied', { sctp: describeSctp(currentSctpTuning() ?? {}) });
    installNdcLogger(this.log);
    logNativeBuildOnce(this.log);
    this.signal = new SignalClient({
      url: opts.server,
      name: opts.name,
      identity: this.identity,
      secret: opts.secret,
      ...(opts.pinnedCertSha256 ? { pinnedCertSha256: opts.pinnedCertSha256 } : {}),
      logger: this.log.child('signal'),
    });
    this.relayPath = new RelayPath(opts.relayTransport ?? 'auto', this.log.child('relay-path'), opts.bindAddress);
    this.checks = new SelfChecks({
      name: opts.name,
      signal: this.signal,
      bindAddress: opts.bindAddress,
      icePort: opts.icePort,
      log: this.log,
      onNat: (r) => this.emit('nat', r),
      onRelay: (url, r) => this.emit('relay', url, r),
    });
    this.punches = new PunchCoordinator({
      signal: this.signal,
      checks: this.checks,
      punch: opts.punch,
      forceRelay: opts.forceRelay,
      bindAddress: opts.bindAddress,
      // Someone serves our incoming streams (an Exposer): peers may start a punch before their offer.
      accepting: () => this.listenerCount('stream') > 0,
      log: this.log,
    });
    this.sessions = new SessionTable<PeerSession>({
      localPeerId: this.identity.peerId,
      create: (peer, role, sessionId, prepare, remoteRelayOnly) => this.createSession(peer, role, sessionId, prepare, remoteRelayOnly),
      added: (s, peer, role) => this.wireSession(s, peer, role),
      offererPunch: (peer, sessionId) => this.punches.asOfferer(peer, sessionId),
      answererPunch: (sessionId, peerId) => this.punches.resultFor(sessionId, peerId),
      onPunch: (from, p, fromIp) => this.punches.onSignal(from, p, fromIp),
      verify: (p, from) => verifyDescription(p, from, this.identity.peerId),
      refuse: (peer, sessionId, reason) => this.signal.signal(peer.peerId, { kind: 'bye', sessionId, reason }),
      strangerSessionsPerMinute: opts.strangerSessionsPerMinute,
      log: this.log,
    });
    this.resolver = new PeerResolver({ directory: this.signal, sessions: () => this.sessions.values(), knownPeers: this.knownPeers, server: opts.server });
    this.signal.on('signal', (m) => this.sessions.onSignal(m));
    this.signal.on('leave', (p) => this.sessions.onLeave(p));
    this.signal.on('latency', (ms) => {
      try {
        recordServer(this.dataDir, { Server_name: new URL(opts.server).host, Address: opts.server, Latency: Math.round(ms * 10) / 10 });
      } catch (err) {
        this.log.debug('could not record server latency', { err });
      }
    });
  }

  get peerId(): string {
    return this.identity.peerId;
  }

  /** The router port mapping in use (with --upnp). */
  get portMapping(): Mapping | undefined {
    return this.checks.portMapping;
  }

  /** Our NAT behaviour, once measured. */
  get natReport(): NatReport | undefined {
    return this.checks.natReport;
  }

  async start(): Promise<void> {
    if (this.opts.upnp) await this.checks.mapIcePort();
    const reg = await this.signal.connect();
    this.log.info('registered', { name: reg.name, peerId: reg.peerId, server: this.opts.server, peersOnline: reg.online });
    // Before any session: whether relays are reached over UDP or through the bridge (one STUN round trip when UDP works).
    await this.relayPath.decide(this.signal.iceServers);
    if (this.relayPath.transport !== 'udp') return; // the bridge's probe checked the relay; no UDP check would answer
    void this.checkRelays();
    if (this.punches.enabled) this.checks.startNatCheck();
  }

  /**
   * Try each TURN server we were given with our credentials, so a relay that
   * refuses them (wrong secret, expired, 401) is a clear error now rather than an
   * ICE failure behind a NAT later. Results go to the log and the `relay` event.
   */
  checkRelays(): Promise<Map<string, ProbeResult>> {
    return this.checks.checkRelays();
  }

  /**
   * Resolve `target` (a name or a full peer id) to an online peer, waiting up to
   * `waitMs` for it to appear, and check its key against known_peers.
   */
  resolvePeer(target: string, waitMs = PEER_WAIT_MS): Promise<PeerInfo> {
    return this.resolver.resolve(target, waitMs);
  }

  /** The session with `peer`, creating one (as offerer) when there is none usable. */
  session(peer: PeerInfo): PeerSession {
    return this.sessions.session(peer);
  }

  sessionFor(peerId: string): PeerSession | undefined {
    return this.sessions.get(peerId);
  }

  allSessions(): PeerSession[] {
    return [...this.sessions.values()];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.punches.abortAll('stopping');
    this.sessions.closeAll();
    this.signal.close();
    this.relayPath.close();
    await this.checks.unmap();
    this.mapping.flush();
  }

  private createSession(peer: PeerInfo, role: SessionRole, sessionId?: string, prepare?: Promise<PunchResult | undefined>, remoteRelayOnly?: boolean): PeerSession {
    return new PeerSession({
      prepare,
      identity: this.identity,
      remote: peer,
      role,
      sessionId: sessionId || undefined,
      iceServers: this.relayPath.iceServers(this.signal.iceServers),
      ...(this.relayPath.transport !== 'udp' ? { relayTransport: this.relayPath.transport as 'tcp' | 'tls' } : {}),
      // Which servers the session's ICE gets: session-ice-servers.ts.
      ...(role === 'answerer' ? { relayLikely: isHard(this.checks.natInfo) || isHard(this.signal.peerById(peer.peerId)?.nat ?? peer.nat) } : { turnUsable: (s: IceServer) => this.checks.turnUsable(s) }),
      forceRelay: this.opts.forceRelay,
      remoteRelayOnly,
      bindAddress: this.opts.bindAddress,
      ...(this.portMapping ? { upnp: { external: this.portMapping.external, localPort: this.portMapping.internal.port } } : {}),
      sendSignal: (payload) => this.signal.signal(peer.peerId, payload),
      log: this.log.child('session'),
    });
  }

  /** A new session in the table: its routes are reported, its incoming channels are streams. */
  private wireSession(s: PeerSession, peer: PeerInfo, role: SessionRole): void {
    s.on('connected', (route) => this.reportRoute(peer, role, route));
    s.on('route-changed', (route, was) => this.reportRoute(peer, role, route, was));
    s.on('channel', (dc) => this.emit('stream', s, dc));
    s.on('closed', () => this.releaseRelays(s));
    this.emit('session', s);
  }

  /**
   * A closed session's TURN allocations on our signal server's relay: ask the
   * server to free them (libjuice keeps them until they expire, and each counts
   * against our per-user quota, so a busy exposer would run out of relays).
   * Allocations on other TURN servers (--ice-server) expire there by themselves.
   */
  private releaseRelays(s: PeerSession): void {
    const hosts = new Set(toNdcIceServers(this.signal.iceServers).filter((i) => i.relayType !== undefined).map((i) => i.hostname));
    const ports = s.relayedAddresses.filter((a) => hosts.has(a.address)).map((a) => a.port);
    if (ports.length) this.signal.send({ type: 'relay-release', ports: ports.slice(0, MAX_RELEASE_PORTS) });
  }

  /**
   * A session's route, when it connects and again when ICE moves to another pair
   * (`was` set): to the log, to the signal server (`route`) and as the `route` event.
   */
  private reportRoute(peer: PeerInfo, role: SessionRole, route: Route, was?: Route): void {
    if (was) this.log.info('route changed', { peer: peer.name, route: describeRoute(route), was: describeRoute(was) });
    else this.log.info('connected', { peer: peer.name, route: describeRoute(route), setupMs: route.setupMs, role, ...(route.phases ? { phases: formatPhases(route.phases) } : {}) });
    this.signal.send({ type: 'route', peer: peer.peerId, kind: route.kind, local: route.local, remote: route.remote, setupMs: route.setupMs });
    if (was) this.emit('route', peer, route, was);
    else this.emit('route', peer, route);
  }
}
