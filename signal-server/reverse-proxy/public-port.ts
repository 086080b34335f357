/**
 * One public port of the reverse proxy: a listener on the proxy's public address
 * whose every client connection (TCP) is carried to a service of a peer behind
 * NAT over the proxy's peer connection with it, each connection one stream
 * (src/tunnel/connect.ts: the same Connector `p2prc connect` uses); for a UDP
 * service, a socket whose every client address is one session on an unordered,
 * unreliable channel (src/tunnel/udp-public-port.ts). Keeps the
 * port's row in the proxy's mapping log: connections, refusals and bytes on the
 * row, not one row per client. Clients outside the port's allow-list, and all
 * clients while its peer is offline, are closed at once and logged.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { PeerNode } from '../../src/peer/node.js';
import { Connector, connectedSession } from '../../src/tunnel/connect.js';
import { UdpPublicPort } from '../../src/tunnel/udp-public-port.js';
import { UDP_CHANNEL_INIT } from '../../src/tunnel/udp-datagrams.js';
import { UDP_PROTOCOL, udpLabel } from '../../src/tunnel/frames.js';
import type { PeerSession } from '../../src/peer/session.js';
import type { DataChannel } from 'node-datachannel';
import type { MappingLog } from '../../src/mapping/log.js';
import { TokenBucket } from '../../src/util/token-bucket.js';
import { ErrorCode, P2prcError } from '../../src/protocol/errors.js';
import type { Logger } from '../../src/util/log.js';
import type { PortType } from './port-allocator.js';
import { normalizeAddress } from '../turn/peer-filter.js';

export interface PublicPortSpec {
  peerId: string;
  peerName: string;
  service: string;
  type: PortType;
  port: number;
  /** Client allow-list (CIDRs); absent: everyone. */
  allow?: string[];
  /** Cap in bytes/s, each way, for the port as a whole. */
  rate?: number;
}

/** Parse an allow-list into a BlockList, or say which entry is bad (`bad-argument`). */
export function allowList(cidrs: string[]): BlockList | P2prcError {
  const list = new BlockList();
  for (const c of cidrs) {
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(c);
    const ip = m?.[1] ?? '';
    const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
    const bits = m?.[2] !== undefined ? Number(m[2]) : family === 'ipv4' ? 32 : 128;
    if (!family || bits > (family === 'ipv4' ? 32 : 128)) return new P2prcError(ErrorCode.BadArgument, `bad allow-list entry "${c}": expected a CIDR such as 198.51.100.0/24`);
    list.addSubnet(ip, bits, family);
  }
  return list;
}


export class PublicPort {
  readonly spec: PublicPortSpec;
  private readonly node: PeerNode;
  private readonly mapping?: MappingLog;
  private readonly log: Logger;
  private readonly bindHost: string;
  private readonly rowAddress: string;
  private readonly allow?: BlockList;
  private connector?: Connector;
  private udp?: UdpPublicPort;
  private rowId?: string;
  private online = true;
  private active = 0;

  constructor(node: PeerNode, spec: PublicPortSpec, bindHost: string, publicAddress: string, mapping: MappingLog | undefined, log: Logger) {
    this.spec = spec;
    this.node = node;
    this.mapping = mapping;
    this.log = log;
    this.bindHost = bindHost;
    this.rowAddress = publicAddress;
    const allow = spec.allow?.length ? allowList(spec.allow) : undefined;
    if (allow instanceof P2prcError) throw allow;
    this.allow = allow;
  }

  /** Why a client is refused (its peer offline, not in the allow-list), or undefined. */
  private refusal(ip: string): string | undefined {
    if (!this.online) return `${this.spec.peerName} is offline`;
    if (this.allow && !this.allow.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6')) return `client ${ip} is not in the port's allow-list`;
    return undefined;
  }

  /** Bind the port: a P2prcError `port-unavailable` when it is in use on this host. */
  async open(): Promise<void> {
    try {
      if (this.spec.type === 'udp') await this.openUdp();
      else await this.openTcp();
    } catch (err) {
      const cause = (err as { cause?: NodeJS.ErrnoException }).cause;
      const code = (err as NodeJS.ErrnoException).code ?? cause?.code;
      throw new P2prcError(ErrorCode.PortUnavailable, `${this.spec.type} port ${this.spec.port} cannot be bound on the proxy (${code ?? (err as Error).message})`);
    }
    this.rowId = this.mapping?.add({
      Server_name: this.spec.peerName,
      Address: this.rowAddress,
      Type: this.spec.type === 'udp' ? 'UDP' : 'TCP',
      blind_port: this.spec.port,
      role: 'proxy',
      peer: this.spec.peerId,
      peer_name: this.spec.peerName,
      service: this.spec.service,
      route: 'public-port',
      ipv4: this.rowAddress,
      serverport: this.spec.port,
      connections: 0,
      refused: 0,
      active: 0,
    }).id;
    this.mapping?.flush();
  }

  private async openTcp(): Promise<void> {
    const spec = this.spec;
    const limits = spec.rate ? { read: new TokenBucket(spec.rate), write: new TokenBucket(spec.rate) } : undefined;
    const connector = new Connector(
      this.node,
      { peer: spec.peerId, service: spec.service },
      { host: this.bindHost, port: spec.port },
      { rows: false, limits, admit: (sock) => this.refusal(normalizeAddress(sock.remoteAddress ?? '')) },
    );
    connector.on('client', (sock) => {
      this.active++;
      this.bump({ connections: 1 });
      sock.once('close', () => this.bump({ active: -1 }));
    });
    connector.on('refused', () => this.bump({ refused: 1 }));
    connector.on('stream-end', (_end, stats) => {
      if (this.rowId) this.mapping?.addBytes(this.rowId, stats.bytesOut, stats.bytesIn);
    });
    connector.on('failed', (err) => this.log.info('client connection not carried', { port: spec.port, peer: spec.peerName, service: spec.service, err: (err as Error).message }));
    this.connector = connector;
    await connector.start();
    // The first client should not pay for the peer connection's setup: make it now.
    connector.warmUp().catch((err: unknown) => this.log.info('peer connection not set up ahead of clients', { peer: spec.peerName, err: (err as Error).message }));
  }

  private async openUdp(): Promise<void> {
    const spec = this.spec;
    const sessions = new Map<DataChannel, PeerSession>();
    const udp = new UdpPublicPort({
      host: this.bindHost,
      port: spec.port,
      admit: (address) => {
        const why = this.refusal(normalizeAddress(address));
        if (why) {
          this.log.info('client refused', { port: spec.port, client: address, reason: why });
          this.bump({ refused: 1 });
        }
        return why === undefined;
      },
      openChannel: async () => {
        const session = await connectedSession(async (known) => this.node.session(known ?? (await this.node.resolvePeer(spec.peerId))));
        const dc = session.openChannel(udpLabel(spec.service), UDP_PROTOCOL, UDP_CHANNEL_INIT);
        sessions.set(dc, session);
        return dc;
      },
      release: (dc) => {
        sessions.get(dc)?.release(dc);
        sessions.delete(dc);
      },
      log: this.log.child('udp'),
    });
    udp.on('session-open', () => {
      this.active++;
      this.bump({ connections: 1 });
    });
    udp.on('session-close', (_client, end) => {
      this.bump({ active: -1 });
      if (this.rowId) this.mapping?.addBytes(this.rowId, end.stats.bytesToPeer, end.stats.bytesToClient);
    });
    this.udp = udp;
    await udp.start();
  }

  /** The peer left the signal server (clients are refused) or came back. */
  setOnline(online: boolean): void {
    this.online = online;
  }

  get activeClients(): number {
    return this.active;
  }

  async close(): Promise<void> {
    await this.connector?.stop();
    await this.udp?.close();
    if (this.rowId) this.mapping?.end(this.rowId);
  }

  private bump(d: { connections?: number; refused?: number; active?: number }): void {
    if (d.active) this.active = Math.max(0, this.active + d.active);
    const row = this.rowId ? this.mapping?.get(this.rowId) : undefined;
    if (!row || !this.rowId) return;
    this.mapping!.update(this.rowId, {
      connections: (row.connections ?? 0) + (d.connections ?? 0),
      refused: (row.refused ?? 0) + (d.refused ?? 0),
      active: this.active,
    });
  }
}
