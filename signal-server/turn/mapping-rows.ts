/**
 * The relay's rows in the mapping log (one per allocation: its relay port,
 * owner and byte counters), written by a listener on the allocation table's
 * events rather than by the handlers, so neither the Allocate handler nor the
 * data path knows about the log.
 */
import type { MappingLog } from '../../src/mapping/log.js';
import type { Allocation, AllocationListener } from './allocation.js';

/** Server_name of the rows when the server is given no name. */
export const DEFAULT_RELAY_NAME = 'p2prc-relay';

export function mappingRows(mapping: MappingLog, name = DEFAULT_RELAY_NAME): AllocationListener {
  const counters = (a: Allocation): { bytes_sent: number; bytes_received: number } => ({ bytes_sent: a.bytesToPeer, bytes_received: a.bytesFromPeer });
  return {
    created(a) {
      a.rowId = mapping.add({
        Server_name: name,
        Address: a.relay.address,
        Type: 'UDP',
        blind_port: a.relay.port,
        role: 'server',
        peer: a.user,
        service: `relay for ${a.client.address}:${a.client.port}`,
        route: 'relay',
        ...(a.client.stream ? { relay_transport: a.client.stream.transport } : {}),
      }).id;
    },
    counters(a) {
      if (!a.rowId) return;
      const row = mapping.get(a.rowId);
      if (row && (row.bytes_sent !== a.bytesToPeer || row.bytes_received !== a.bytesFromPeer)) mapping.update(a.rowId, counters(a));
    },
    deleted(a) {
      if (!a.rowId) return;
      mapping.update(a.rowId, counters(a));
      mapping.end(a.rowId);
    },
  };
}
