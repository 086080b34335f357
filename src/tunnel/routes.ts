/**
 * Mapping-log rows for tunnel routes: one row per (peer session, service),
 * created on the first stream, bytes added as streams end, closed with the session.
 */
import type { MappingLog } from '../mapping/log.js';
import type { PeerSession } from '../peer/session.js';
import type { StreamStats } from './stream.js';

export class RouteRows {
  private readonly rows = new Map<string, string>();
  constructor(
    private readonly mapping: MappingLog,
    private readonly role: 'expose' | 'connect',
    private readonly extra: { listen?: string } = {},
  ) {}

  /** The row id for `service` on `session`, created on first use. */
  rowFor(session: PeerSession, service: string): string | undefined {
    const key = `${session.sessionId}/${service}`;
    const have = this.rows.get(key);
    if (have) return have;
    const route = session.route;
    if (!route) return undefined;
    const row = this.mapping.add({
      Server_name: session.remote.name,
      Address: route.remote.address,
      Type: 'UDP',
      blind_port: route.remote.port,
      role: this.role,
      peer: session.remote.peerId,
      peer_name: session.remote.name,
      service,
      route: route.kind,
      local_candidate: route.local,
      remote_candidate: route.remote,
      setup_ms: route.setupMs,
      ...(route.relayTransport ? { relay_transport: route.relayTransport } : {}),
      ...(this.extra.listen ? { listen: this.extra.listen } : {}),
    });
    this.rows.set(key, row.id);
    const onChange = (r: typeof route): void =>
      this.mapping.update(row.id, { Address: r.remote.address, blind_port: r.remote.port, route: r.kind, local_candidate: r.local, remote_candidate: r.remote, relay_transport: r.relayTransport });
    session.on('route-changed', onChange);
    session.once('closed', () => {
      session.off('route-changed', onChange);
      this.mapping.end(row.id);
      this.rows.delete(key);
    });
    return row.id;
  }

  streamEnded(rowId: string | undefined, stats: StreamStats): void {
    if (!rowId) return;
    const row = this.mapping.get(rowId);
    this.mapping.addBytes(rowId, stats.bytesOut, stats.bytesIn);
    if (row) this.mapping.update(rowId, { streams: row.streams + 1 });
  }
}
