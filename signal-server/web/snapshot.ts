/**
 * What the dashboard shows, read from what the signal server already knows
 * (pure: the server hands its parts in): who is online, the routes peers
 * reported with the relay's byte counts for relayed ones and the public-port
 * rows' counts, the relay's allocations, and the tail of the mapping log.
 * The page computes rates from two snapshots' byte counts.
 */
import { createHash } from 'node:crypto';
import type { CandidateInfo, PeerInfo, RouteKind, RouteReport } from '../../src/protocol/messages.js';
import type { MappingRow } from '../../src/mapping/log.js';
import { clientTransport, type Allocation } from '../turn/allocation.js';

/** Rows of each list a snapshot carries at most (the counts are whole). */
export const SNAPSHOT_ROWS = 200;
/** Mapping-log rows shown (the newest). */
export const MAPPING_TAIL = 50;

export interface ReportedRoute {
  /** The reporting peer and the peer it reached. */
  from: { peerId: string; name: string };
  to: { peerId: string; name?: string };
  report: RouteReport;
  at: number;
}

export interface AllocationView {
  user: string;
  client: string;
  transport: 'udp' | 'tcp' | 'tls';
  relayed: string;
  relayedPort: number;
  bytesToPeer: number;
  bytesFromPeer: number;
  createdAt: number;
  permissions: number;
  channels: number;
}

/** What the dashboard shows of one relay allocation. */
export function allocationView(a: Allocation): AllocationView {
  return {
    user: a.user,
    client: `${a.client.address}:${a.client.port}`,
    transport: clientTransport(a.client),
    relayed: `${a.relay.address}:${a.relay.port}`,
    relayedPort: a.relay.port,
    bytesToPeer: a.bytesToPeer,
    bytesFromPeer: a.bytesFromPeer,
    createdAt: a.createdAt,
    permissions: a.permissions.size,
    channels: a.channels.size,
  };
}

export interface SnapshotSources {
  server: { name: string; startedAt: number; relay: boolean; reverseProxy: boolean };
  peers: PeerInfo[];
  routes: ReportedRoute[];
  allocations: AllocationView[];
  mapping: MappingRow[];
}

export interface DashboardRoute {
  from: string;
  fromId: string;
  to: string;
  toId: string;
  kind: RouteKind;
  local: CandidateInfo;
  remote: CandidateInfo;
  setupMs?: number;
  since: number;
  /** Bytes the server saw on this route (relayed: the allocation's; public port: the row's); absent for direct routes. */
  bytes?: number;
}

export interface DashboardSnapshot {
  at: number;
  server: { name: string; uptimeSec: number; relay: boolean; reverseProxy: boolean };
  counts: { peers: number; routes: number; allocations: number; mapping: number };
  peers: { name: string; peerId: string; fingerprint: string; nat?: string; services: string[] }[];
  routes: DashboardRoute[];
  allocations: (Omit<AllocationView, 'user' | 'createdAt'> & { user: string; userName?: string; ageSec: number })[];
  mapping: Pick<MappingRow, 'id' | 'role' | 'route' | 'Server_name' | 'Address' | 'Type' | 'blind_port' | 'peer_name' | 'service' | 'bytes_sent' | 'bytes_received' | 'started_at' | 'ended_at'>[];
}

/** `SHA256:<base64>` of a raw key (given in base64), as ssh prints key fingerprints. */
export function keyFingerprint(publicKeyB64: string): string {
  return 'SHA256:' + createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('base64').replace(/=+$/, '');
}

function natText(p: PeerInfo): string | undefined {
  if (!p.nat) return undefined;
  if (!p.nat.natted) return 'no NAT';
  return `mapping ${p.nat.mapping}, filtering ${p.nat.filtering}`;
}

export function buildSnapshot(src: SnapshotSources, now = Date.now()): DashboardSnapshot {
  const names = new Map(src.peers.map((p) => [p.peerId, p.name]));
  const relayBytes = new Map<number, number>();
  for (const a of src.allocations) relayBytes.set(a.relayedPort, (relayBytes.get(a.relayedPort) ?? 0) + a.bytesToPeer + a.bytesFromPeer);
  const routes: DashboardRoute[] = src.routes.map((r) => {
    const { local, remote } = r.report;
    let bytes: number | undefined;
    if (r.report.kind === 'relay') {
      // The allocation behind the route: ours (local relay candidate) or the peer's (remote one).
      const port = local.type === 'relay' ? local.port : remote.type === 'relay' ? remote.port : undefined;
      bytes = port !== undefined ? relayBytes.get(port) : undefined;
    }
    return {
      from: r.from.name,
      fromId: r.from.peerId,
      to: r.to.name ?? names.get(r.to.peerId) ?? r.to.peerId.slice(0, 12),
      toId: r.to.peerId,
      kind: r.report.kind,
      local,
      remote,
      ...(r.report.setupMs !== undefined ? { setupMs: r.report.setupMs } : {}),
      since: r.at,
      ...(bytes !== undefined ? { bytes } : {}),
    };
  });
  for (const row of src.mapping) {
    if (row.route !== 'public-port' || row.ended_at) continue;
    routes.push({
      from: row.peer_name ?? row.peer.slice(0, 12),
      fromId: row.peer,
      to: `public ${row.Type} ${row.Address}:${row.blind_port}`,
      toId: '',
      kind: 'public-port',
      local: { type: 'public', address: row.Address, port: row.blind_port },
      remote: row.remote_candidate ?? { type: 'peer', address: '', port: 0 },
      since: Date.parse(row.started_at),
      bytes: row.bytes_sent + row.bytes_received,
    });
  }
  const mapping = src.mapping.slice(-MAPPING_TAIL).reverse();
  return {
    at: now,
    server: { name: src.server.name, uptimeSec: Math.round((now - src.server.startedAt) / 1000), relay: src.server.relay, reverseProxy: src.server.reverseProxy },
    counts: { peers: src.peers.length, routes: routes.length, allocations: src.allocations.length, mapping: src.mapping.length },
    peers: src.peers.slice(0, SNAPSHOT_ROWS).map((p) => ({
      name: p.name,
      peerId: p.peerId,
      fingerprint: keyFingerprint(p.publicKey),
      ...(natText(p) ? { nat: natText(p)! } : {}),
      services: (p.services ?? []).map((s) => (s.type === 'udp' ? `${s.name}/udp` : s.name)),
    })),
    routes: routes.slice(-SNAPSHOT_ROWS),
    allocations: src.allocations.slice(0, SNAPSHOT_ROWS).map(({ createdAt, ...a }) => ({ ...a, ...(names.has(a.user) ? { userName: names.get(a.user)! } : {}), ageSec: Math.round((now - createdAt) / 1000) })),
    mapping: mapping.map((r) => ({
      id: r.id,
      role: r.role,
      route: r.route,
      Server_name: r.Server_name,
      Address: r.Address,
      Type: r.Type,
      blind_port: r.blind_port,
      ...(r.peer_name !== undefined ? { peer_name: r.peer_name } : {}),
      ...(r.service !== undefined ? { service: r.service } : {}),
      bytes_sent: r.bytes_sent,
      bytes_received: r.bytes_received,
      started_at: r.started_at,
      ...(r.ended_at !== undefined ? { ended_at: r.ended_at } : {}),
    })),
  };
}

/**
 * The routes peers reported, newest per (peer, other peer): kept while the
 * reporting peer is online. Bounded: at most `max`, the oldest dropped first.
 */
export class RouteBook {
  private readonly routes = new Map<string, ReportedRoute>();
  constructor(private readonly max = 2000) {}

  add(from: PeerInfo, report: RouteReport, toName: string | undefined, now = Date.now()): void {
    const key = `${from.peerId}>${report.peer}`;
    this.routes.delete(key);
    this.routes.set(key, { from: { peerId: from.peerId, name: from.name }, to: { peerId: report.peer, ...(toName ? { name: toName } : {}) }, report, at: now });
    if (this.routes.size > this.max) this.routes.delete(this.routes.keys().next().value!);
  }

  /** A peer left: its reports go, and the reports of routes to it. */
  peerLeft(peerId: string): void {
    for (const [key, r] of this.routes) if (r.from.peerId === peerId || r.to.peerId === peerId) this.routes.delete(key);
  }

  list(): ReportedRoute[] {
    return [...this.routes.values()];
  }

  byKind(): Record<string, number> {
    const n: Record<string, number> = {};
    for (const r of this.routes.values()) n[r.report.kind] = (n[r.report.kind] ?? 0) + 1;
    return n;
  }
}
