/**
 * One public port of the reverse proxy: a listener on the proxy's public address
 * whose every client connection (TCP) is carried to a service of a peer behind
 * NAT over the proxy's peer connection with it, each connection one stream
 * (src/tunnel/connect.ts: the same Connector `p2prc connect` uses). Keeps the
 * port's row in the proxy's mapping log: connections, refusals and bytes on the
 * row, not one row per client. Clients outside the port's allow-list, and all
 * clients while its peer is offline, are closed at once and logged.
 */
import { BlockList, isIPv4, isIPv6, type Socket } from 'node:net';
import type { PeerNode } from '../../src/peer/node.js';
import { Connector } from '../../src/tunnel/connect.js';
import type { MappingLog } from '../../src/mapping/log.js';
import { TokenBucket } from '../../src/util/token-bucket.js';
import { ErrorCode, P2prcError } from '../../src/protocol/errors.js';
import type { Logger } from '../../src/util/log.js';
import type { PortType } from './port-allocator.js';

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

/** The address a client came from, IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4. */
function clientIp(sock: Socket): string {
  const a = sock.remoteAddress ?? '';
  return a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : a;
}

export class PublicPort {
  readonly spec: PublicPortSpec;
  private readonly connector: Connector;
  private readonly mapping?: MappingLog;
  private readonly log: Logger;
  private readonly rowAddress: string;
  private rowId?: string;
  private online = true;
  private active = 0;

  constructor(node: PeerNode, spec: PublicPortSpec, bindHost: string, publicAddress: string, mapping: MappingLog | undefined, log: Logger) {
    this.spec = spec;
    this.mapping = mapping;
    this.log = log;
    const allow = spec.allow?.length ? allowList(spec.allow) : undefined;
    if (allow instanceof P2prcError) throw allow;
    const limits = spec.rate ? { read: new TokenBucket(spec.rate), write: new TokenBucket(spec.rate) } : undefined;
    this.connector = new Connector(
      node,
      { peer: spec.peerId, service: spec.service },
      { host: bindHost, port: spec.port },
      {
        rows: false,
        limits,
        admit: (sock) => {
          if (!this.online) return `${spec.peerName} is offline`;
          const ip = clientIp(sock);
          if (allow && !allow.check(ip, isIPv4(ip) ? 'ipv4' : 'ipv6')) return `client ${ip} is not in the port's allow-list`;
          return undefined;
        },
      },
    );
    this.connector.on('client', (sock) => {
      this.active++;
      this.bump({ connections: 1 });
      sock.once('close', () => this.bump({ active: -1 }));
    });
    this.connector.on('refused', () => this.bump({ refused: 1 }));
    this.connector.on('stream-end', (_end, stats) => {
      if (this.rowId) this.mapping?.addBytes(this.rowId, stats.bytesOut, stats.bytesIn);
    });
    this.connector.on('failed', (err) => this.log.info('client connection not carried', { port: spec.port, peer: spec.peerName, service: spec.service, err: (err as Error).message }));
    this.rowAddress = publicAddress;
  }

  /** Bind the port: a P2prcError `port-unavailable` when it is in use on this host. */
  async open(): Promise<void> {
    try {
      await this.connector.start();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
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
  }

  /** The peer left the signal server (clients are refused) or came back. */
  setOnline(online: boolean): void {
    this.online = online;
  }

  get activeClients(): number {
    return this.active;
  }

  async close(): Promise<void> {
    await this.connector.stop();
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
