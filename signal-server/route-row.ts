/**
 * The server's row in `reverse_proxy_mapping.json` for a route a peer reports
 * (pure: the server loop adds it to its MappingLog).
 */
import type { PeerInfo, RouteReport } from '../src/protocol/messages.js';
import type { NewRow } from '../src/mapping/log.js';

/** `other` is the reported peer's entry when it is online (its name goes in `service`). */
export function routeRow(serverName: string, peer: PeerInfo, msg: RouteReport, other: PeerInfo | undefined): NewRow {
  return {
    Server_name: serverName,
    Address: msg.remote.address,
    Type: 'UDP',
    blind_port: msg.remote.port,
    role: 'server',
    peer: peer.peerId,
    peer_name: peer.name,
    route: msg.kind,
    local_candidate: msg.local,
    remote_candidate: msg.remote,
    setup_ms: msg.setupMs,
    service: other ? `to ${other.name} (${other.peerId})` : `to ${msg.peer}`,
  };
}
