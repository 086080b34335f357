/** Human text for the CLI's listings, route lines and NAT report (pure). */
import type { MappingRow } from '../mapping/log.js';
import type { ServerEntry } from '../mapping/servers.js';
import type { PeerInfo } from '../protocol/messages.js';
import { describeRoute, type Route } from '../peer/ice.js';
import { formatPhases, type SetupPhaseReport } from '../peer/setup-phases.js';
import type { NatReport } from '../nat/detect.js';
import type { PortMappingAvailability } from '../portmap/mapper.js';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export function formatMappings(rows: MappingRow[]): string {
  if (rows.length === 0) return 'no mappings recorded';
  return table(
    ['Server_name', 'Address', 'Type', 'blind_port', 'role', 'service', 'route', 'local <-> remote', 'clients', 'started', 'ended', 'sent', 'received'],
    rows.map((r) => [
      r.Server_name,
      r.Address,
      r.Type,
      String(r.blind_port),
      r.role,
      r.service ?? '',
      r.route,
      r.local_candidate && r.remote_candidate
        ? `${r.local_candidate.type} ${r.local_candidate.address}:${r.local_candidate.port} <-> ${r.remote_candidate.type} ${r.remote_candidate.address}:${r.remote_candidate.port}`
        : r.route === 'public-port'
          ? `public ${r.ipv4 ?? r.Address}:${r.serverport ?? r.blind_port}`
          : '',
      // Public-port rows: client connections carried (and refused), open now.
      r.connections !== undefined ? `${r.connections}${r.refused ? ` (${r.refused} refused)` : ''}${r.active ? `, ${r.active} open` : ''}` : '',
      r.started_at,
      r.ended_at ?? '(active)',
      humanBytes(r.bytes_sent ?? 0),
      humanBytes(r.bytes_received ?? 0),
    ]),
  );
}

export function formatServers(rows: ServerEntry[]): string {
  if (rows.length === 0) return 'no reverse proxy servers recorded';
  return table(['Server_name', 'Address', 'Latency (ms)', 'last seen'], rows.map((s) => [s.Server_name, s.Address, String(s.Latency), s.last_seen ?? '']));
}

export function formatPeers(rows: PeerInfo[]): string {
  if (rows.length === 0) return 'no other peers online';
  return table(['name', 'peer id'], rows.map((p) => [p.name, p.peerId]));
}

/**
 * One route line, e.g. `alice/web: direct host 10.0.0.1:5000 <-> srflx 198.51.100.7:6000 (setup 42 ms)`,
 * with the route it replaced when it changed. `subject` names the tunnel (the CLI and `npm start` put their own prefix before it).
 * A route that carries its setup phases lists them after the setup time: `(setup 42 ms; signal 10, ice 12, … ms)`.
 */
export function formatRoute(subject: string, route: Route, was?: Pick<Route, 'kind' | 'local' | 'remote'>): string {
  const phases = route.phases && !was ? `; ${formatPhases(route.phases)}` : '';
  return `${subject}: ${describeRoute(route)} (setup ${route.setupMs} ms${phases})${was ? ` [was ${describeRoute(was)}]` : ''}`;
}

/** The setup line `connect` prints at the first byte back: `alice/web: 130 ms (lookup 3, …, first byte 4 ms)`. */
export function formatSetup(subject: string, r: SetupPhaseReport): string {
  return `${subject}: ${Math.round(r.totalMs)} ms to the first byte (${formatPhases(r)})`;
}

/** `p2prc nat`'s report: one aligned line per finding, then what it means. `portMapping` is undefined with --no-portmap. */
export function formatNatReport(report: NatReport, portMapping: PortMappingAvailability | undefined): string {
  const pm = (x: PortMappingAvailability['upnp'] | undefined): string =>
    !x ? 'not checked (--no-portmap)' : x.available ? `available${x.externalAddress ? ` (external ${x.externalAddress})` : ''}` : `not available (${x.error ?? 'no answer'})`;
  const pub = report.publicAddress ? `${report.publicAddress.address}:${report.publicAddress.port}` : 'unknown';
  const lines = [
    `STUN server      ${report.server}`,
    `local address    ${report.local.address}:${report.local.port}`,
    `public address   ${pub}${report.natted ? '' : ' (no NAT)'}`,
    `mapping          ${report.mapping}`,
    `filtering        ${report.filtering}`,
    `hairpinning      ${report.hairpin === undefined ? 'n/a' : report.hairpin ? 'yes' : 'no'}`,
    `type             ${report.classic}`,
    `UPnP IGD         ${pm(portMapping?.upnp)}`,
    `NAT-PMP          ${pm(portMapping?.natpmp)}`,
    `PCP              ${pm(portMapping?.pcp)}`,
    '',
    ...report.meaning,
  ];
  return lines.join('\n');
}

/** `p2prc nat`'s relay lines: each relay and transport, reached (with its round trip) or why not. */
export function formatRelayReach(relays: readonly { transport: string; server: string; ok: boolean; rttMs?: number; reason?: string }[]): string {
  const lines = relays.map((r) => `relay over ${r.transport.toUpperCase().padEnd(4)} ${r.server.padEnd(21)} ${r.ok ? `allocates (${r.rttMs} ms)` : `no: ${r.reason ?? 'no answer'}`}`);
  const udpOk = relays.some((r) => r.transport === 'udp' && r.ok);
  const streamOk = relays.find((r) => r.transport !== 'udp' && r.ok);
  if (!udpOk && streamOk) lines.push('', `UDP does not reach the relay: peers here relay over ${streamOk.transport.toUpperCase()} through a local bridge (--relay-transport auto does this).`);
  return lines.join('\n');
}

/** The line a peer (expose, connect) prints once its start-up NAT check is done: public address, then the NAT type or why it is unknown. */
export function formatNatLine(r: NatReport): string {
  return `nat ${r.publicAddress ? `${r.publicAddress.address}:${r.publicAddress.port}` : '?'}: ${r.behaviourDiscovery ? `${r.classic} (mapping ${r.mapping}, filtering ${r.filtering})` : 'behaviour unknown (the server has no --alt-ip: no port prediction)'}`;
}
