/**
 * The reverse proxy (`p2prc server --reverse-proxy`): public ports on this host
 * for services of peers behind NAT, frp-style. The proxy is itself a p2prc peer,
 * run inside the server process and registered with it: each client connection
 * on a public port becomes one stream on the proxy's peer connection with the
 * service's peer (ICE, DTLS, SCTP as between any two peers, so the path is direct
 * whenever the peer can reach this host, and end-to-end encrypted).
 *
 * A peer asks with `public-ports` (only registered peers can: the server's
 * --secret admits them); each request replaces its previous one. When the peer
 * leaves, its ports refuse clients at once and are closed after `graceMs`; the
 * port each service held is remembered (public_ports.json) and given back when
 * the peer returns and the port is still free.
 */
import { join } from 'node:path';
import { PeerNode } from '../../src/peer/node.js';
import { Identity } from '../../src/identity/keys.js';
import { resolveDataDir } from '../../src/util/paths.js';
import type { PeerInfo, PublicPortResult, PublicPortsReply, PublicPortsRequest, PublicService } from '../../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../../src/protocol/errors.js';
import type { MappingLog } from '../../src/mapping/log.js';
import { MAX_BURST_MTUS, MIN_RTO_MS, type SctpTuning } from '../../src/peer/sctp-settings.js';
import type { Logger } from '../../src/util/log.js';
import { DEFAULT_ALLOW_PORTS, DEFAULT_MAX_PORTS_PER_PEER, PortAllocator, describeRanges, type PortRange } from './port-allocator.js';
import { PublicPort } from './public-port.js';
import { loadSticky, saveSticky } from './sticky-ports.js';

/** A departed peer's ports are kept (refusing clients) this long for it to come back. */
export const DEFAULT_PUBLIC_GRACE_MS = 60_000;
/**
 * SCTP buffers of the proxy's peer connections unless --sctp-buffer-kib says
 * otherwise: 2 MiB, not the peers' 4 MiB (DEFAULT_SCTP_TUNING). A proxy serves
 * peers over links it does not know. Through a public port at 50 ms / 200
 * Mbit/s (a queue of one bandwidth-delay product) an association that had
 * carried about a thousand short connections under CPU load collapsed to
 * 0.5-2 MiB/s uploads in about half the runs with 4 MiB buffers on both ends;
 * with 2 MiB on one end it did less often (not never: one run in five). The
 * cost is a ceiling of 2 MiB per round trip per peer (40 MiB/s at 50 ms).
 * The collapse's cause was spurious retransmission timeouts at libdatachannel's
 * 200 ms minimum RTO: the proxy uses MIN_RTO_MS (1 s) like the peers, and
 * their max burst (MAX_BURST_MTUS).
 */
export const PROXY_SCTP_TUNING: Readonly<SctpTuning> = Object.freeze({ recvBufferSize: 2 * 1024 * 1024, sendBufferSize: 2 * 1024 * 1024, minRetransmitTimeout: MIN_RTO_MS, maxBurst: MAX_BURST_MTUS });
/** Bind attempts for "any free port" before giving up. */
const BIND_TRIES = 8;
/**
 * The proxy's own peer name on its server: this prefix and the start of its key's
 * id, so a proxy whose identity was lost (a wiped proxy-peer/ directory) gets a
 * new name rather than meeting its old one, still bound to the old key, in the
 * server's name book.
 */
export const PROXY_PEER_NAME = 'p2prc-proxy';

export interface ReverseProxyOptions {
  /** The server's data dir: the proxy peer's identity (in proxy-peer/) and public_ports.json. */
  dataDir: string;
  allowPorts?: PortRange[];
  maxPortsPerPeer?: number;
  /** Where public ports listen (the server's --host). */
  bindHost: string;
  /** The address clients use (--public-ip); default: bindHost, or when that is a wildcard the address each peer reached the server at. */
  publicIp?: string;
  graceMs?: number;
  /** The server's admission secret, for the proxy's own registration. */
  secret?: string;
  mapping?: MappingLog;
  /** SCTP settings of the proxy's peer connections (process-wide; PROXY_SCTP_TUNING where not given). */
  sctp?: SctpTuning;
  log: Logger;
}

interface PeerPorts {
  name: string;
  ports: Map<string, PublicPort>;
  leaveTimer?: NodeJS.Timeout;
  /** Requests of one peer run one after another. */
  queue: Promise<unknown>;
}

/** A listen address that stands for every interface (so not one peers can be told). */
export const isWildcard = (h: string): boolean => h === '0.0.0.0' || h === '::' || h === '';
const portKeyOf = (s: { type: string; name: string }): string => `${s.type}/${s.name}`;

export class ReverseProxy {
  private readonly opts: ReverseProxyOptions;
  private readonly allocator: PortAllocator;
  private readonly peers = new Map<string, PeerPorts>();
  private node?: PeerNode;
  private closed = false;

  constructor(opts: ReverseProxyOptions) {
    this.opts = opts;
    const sticky = loadSticky(opts.dataDir, (msg, f) => opts.log.warn(msg, f));
    this.allocator = new PortAllocator(opts.allowPorts ?? DEFAULT_ALLOW_PORTS, opts.maxPortsPerPeer ?? DEFAULT_MAX_PORTS_PER_PEER, sticky);
  }

  /** The proxy's peer id (once started): peers see its sessions come from it. */
  get peerId(): string | undefined {
    return this.node?.peerId;
  }

  get describeAllowed(): string {
    return describeRanges(this.opts.allowPorts ?? DEFAULT_ALLOW_PORTS);
  }

  /**
   * Start the proxy's peer, registered with the server at `signalUrl` (over
   * wss://, the server's own certificate is pinned: `pinnedCertSha256`).
   */
  async start(signalUrl: string, pinnedCertSha256?: string): Promise<void> {
    const dataDir = join(this.opts.dataDir, 'proxy-peer');
    this.node = new PeerNode({
      server: signalUrl,
      name: `${PROXY_PEER_NAME}-${Identity.loadOrCreate(resolveDataDir(dataDir)).peerId.slice(0, 8)}`,
      dataDir,
      secret: this.opts.secret,
      // The proxy has a public address: no NAT to measure, nothing to punch.
      punch: false,
      sctp: this.opts.sctp ?? PROXY_SCTP_TUNING,
      ...(pinnedCertSha256 ? { pinnedCertSha256 } : {}),
      logger: this.opts.log.child('peer'),
    });
    await this.node.start();
  }

  /**
   * The public address clients use, as told to a peer that reached us at
   * `localAddress` (the connection's, IPv4-mapped prefix already stripped: connection.ts).
   */
  publicAddress(localAddress: string): string {
    return this.opts.publicIp ?? (isWildcard(this.opts.bindHost) ? localAddress : this.opts.bindHost);
  }

  /** Handle a peer's `public-ports`: its ports afterwards are exactly the services asked for. */
  request(peer: PeerInfo, localAddress: string, msg: PublicPortsRequest): Promise<PublicPortsReply> {
    const entry = this.entryFor(peer);
    const run = entry.queue.then(() => this.apply(peer, entry, this.publicAddress(localAddress), msg.services));
    entry.queue = run.catch(() => undefined);
    return run;
  }

  /** The peer's signalling connection closed: refuse its clients now, close its ports after the grace. */
  peerLeft(peerId: string): void {
    const entry = this.peers.get(peerId);
    if (!entry || entry.leaveTimer) return;
    if (entry.ports.size === 0) {
      // Nothing to keep: forget the peer once its queued requests are done.
      entry.queue = entry.queue.then(() => {
        if (entry.ports.size === 0 && !entry.leaveTimer && this.peers.get(peerId) === entry) this.peers.delete(peerId);
      });
      return;
    }
    for (const p of entry.ports.values()) p.setOnline(false);
    const graceMs = this.opts.graceMs ?? DEFAULT_PUBLIC_GRACE_MS;
    this.opts.log.info('peer with public ports left; its ports refuse clients', { peer: entry.name, ports: [...entry.ports.values()].map((p) => p.spec.port).join(','), closeInMs: graceMs });
    entry.leaveTimer = setTimeout(() => {
      entry.leaveTimer = undefined;
      entry.queue = entry.queue.then(() => this.closeAll(peerId, entry, 'peer gone'));
    }, graceMs);
    entry.leaveTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [peerId, e] of this.peers) {
      clearTimeout(e.leaveTimer);
      await this.closeAll(peerId, e, 'proxy stopping');
    }
    await this.node?.stop();
  }

  private entryFor(peer: PeerInfo): PeerPorts {
    let e = this.peers.get(peer.peerId);
    if (!e) {
      e = { name: peer.name, ports: new Map(), queue: Promise.resolve() };
      this.peers.set(peer.peerId, e);
    }
    if (e.leaveTimer) {
      clearTimeout(e.leaveTimer);
      e.leaveTimer = undefined;
    }
    return e;
  }

  private async apply(peer: PeerInfo, entry: PeerPorts, address: string, services: PublicService[]): Promise<PublicPortsReply> {
    const node = this.node;
    if (!node || this.closed) throw new P2prcError(ErrorCode.NotAProxy, 'the reverse proxy is not running');
    if (peer.peerId === node.peerId) throw new P2prcError(ErrorCode.BadArgument, 'the proxy does not give ports to itself');
    const wanted = new Map(services.map((s) => [portKeyOf(s), s]));
    // Ports not asked for any more go first, so their numbers can be asked for again.
    for (const [key, port] of entry.ports) {
      if (!wanted.has(key)) await this.closePort(peer.peerId, entry, key, port, 'no longer asked for');
    }
    const results: PublicPortResult[] = [];
    for (const s of services) {
      const r = await this.openOne(node, peer, entry, address, s);
      results.push(r instanceof P2prcError ? { name: s.name, type: s.type, error: { code: r.code, message: r.message } } : { name: s.name, type: s.type, port: r });
    }
    this.saveSticky();
    // Forgotten meanwhile (the peer left with no ports while this request waited): known again.
    if (entry.ports.size > 0 && this.peers.get(peer.peerId) !== entry) this.peers.set(peer.peerId, entry);
    return { type: 'public-ports', address, proxy: node.peerId, results };
  }

  private async openOne(node: PeerNode, peer: PeerInfo, entry: PeerPorts, address: string, s: PublicService): Promise<number | P2prcError> {
    const key = portKeyOf(s);
    const owner = { peerId: peer.peerId, service: s.name };
    const have = entry.ports.get(key);
    // A request that waited while its peer left does not bring the peer's ports back online.
    const online = !entry.leaveTimer;
    if (have && (!s.port || s.port === have.spec.port) && sameList(have.spec.allow, s.allow) && have.spec.rate === s.rate) {
      have.setOnline(online);
      return have.spec.port;
    }
    if (have) await this.closePort(peer.peerId, entry, key, have, 'asked again with other settings');
    for (let i = 0; i < BIND_TRIES; i++) {
      const port = this.allocator.propose(owner, s.type, s.port || undefined, Date.now());
      if (port instanceof P2prcError) return this.refused(peer, s, port);
      let pub: PublicPort;
      try {
        pub = new PublicPort(node, { peerId: peer.peerId, peerName: peer.name, service: s.name, type: s.type, port, allow: s.allow, rate: s.rate }, this.opts.bindHost, address, this.opts.mapping, this.opts.log.child('port'));
        await pub.open();
      } catch (err) {
        const e = err instanceof P2prcError ? err : new P2prcError(ErrorCode.Internal, (err as Error).message);
        if (e.code !== ErrorCode.PortUnavailable) return this.refused(peer, s, e);
        this.allocator.unbindable(s.type, port, Date.now());
        if (s.port) return this.refused(peer, s, e);
        continue;
      }
      this.allocator.hold(owner, s.type, port);
      pub.setOnline(online);
      entry.ports.set(key, pub);
      this.opts.log.info('public port open', { peer: peer.name, service: s.name, type: s.type, port, address: `${address}:${port}` });
      return port;
    }
    return this.refused(peer, s, new P2prcError(ErrorCode.PortUnavailable, `no ${s.type} port could be bound after ${BIND_TRIES} tries`));
  }

  private refused(peer: PeerInfo, s: PublicService, err: P2prcError): P2prcError {
    this.opts.log.warn('public port refused', { peer: peer.name, service: s.name, type: s.type, asked: s.port ?? 0, code: err.code, reason: err.message });
    return err;
  }

  private async closePort(peerId: string, entry: PeerPorts, key: string, port: PublicPort, why: string): Promise<void> {
    entry.ports.delete(key);
    this.allocator.release({ peerId, service: port.spec.service }, port.spec.type);
    await port.close();
    this.opts.log.info('public port closed', { peer: entry.name, service: port.spec.service, port: port.spec.port, why });
  }

  private async closeAll(peerId: string, entry: PeerPorts, why: string): Promise<void> {
    for (const [key, port] of [...entry.ports]) await this.closePort(peerId, entry, key, port, why);
    if (this.peers.get(peerId) === entry && !entry.leaveTimer) this.peers.delete(peerId);
    this.saveSticky();
  }

  private saveSticky(): void {
    try {
      saveSticky(this.opts.dataDir, this.allocator.stickyEntries());
    } catch (err) {
      this.opts.log.warn('could not save the public port table', { err });
    }
  }
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  return (a ?? []).join(',') === (b ?? []).join(',');
}
