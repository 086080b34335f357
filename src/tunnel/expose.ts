/**
 * Exposer: serves named local TCP and UDP services to peers. Each incoming
 * channel names a service in its label: `tcp/<name>` is a stream (TunnelStream
 * to a TCP connection), `udp/<name>` a UDP session (UdpServiceSession: one UDP
 * socket per remote client address, udp-service.ts). Anything not exposed, or
 * exposed as the other protocol, is refused with `unknown-service`, and a TCP
 * service that refuses the connection is reported as `service-unavailable`,
 * both to the remote peer and in our log.
 */
import { EventEmitter } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import type { PeerNode } from '../peer/node.js';
import type { PeerSession } from '../peer/session.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { serviceFromLabel, udpServiceFromLabel } from './frames.js';
import { TunnelStream } from './stream.js';
import { RouteRows } from './routes.js';
import { refuseChannel } from './udp-channel.js';
import { UdpServiceSession } from './udp-service.js';

export interface ServiceTarget {
  host: string;
  port: number;
  /** The service's transport; absent means 'tcp'. */
  type?: 'tcp' | 'udp';
}

/** Parse `web=8080`, `db=127.0.0.1:5432` (or `db=[::1]:5432`), with `/udp` (or `/tcp`, the default) after the port. */
export function parseServiceSpec(spec: string): [string, ServiceTarget] {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62})=(?:(\[[^\]]+\]|[^:/]+):)?(\d{1,5})(?:\/(tcp|udp))?$/.exec(spec);
  if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad service "${spec}": expected name=port or name=host:port, optionally /udp or /tcp after the port`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new P2prcError(ErrorCode.BadArgument, `bad port in "${spec}"`);
  return [m[1]!, { host: (m[2] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port, type: m[4] === 'udp' ? 'udp' : 'tcp' }];
}

export interface ExposerEvents {
  /** A stream (TCP) or UDP session served ended: whose, for which service, and its bytes. */
  'stream-end': [PeerSession, { service: string; type: 'tcp' | 'udp'; bytesOut: number; bytesIn: number }];
}

export class Exposer extends EventEmitter<ExposerEvents> {
  readonly services: Map<string, ServiceTarget>;
  private readonly node: PeerNode;
  private readonly rows: RouteRows;
  private readonly streams = new Set<TunnelStream>();
  /** Held so their channels and sockets live as long as the session. */
  private readonly udpSessions = new Set<UdpServiceSession>();

  constructor(node: PeerNode, services: Map<string, ServiceTarget>) {
    super();
    this.node = node;
    this.services = services;
    this.rows = new RouteRows(node.mapping, 'expose');
    node.on('stream', (session, dc) => this.onStream(session, dc));
    // Published by name and type (never the local address), so a user can pick one (the browser page).
    node.signal.publishServices([...services].map(([name, t]) => ({ name, type: t.type ?? 'tcp' })));
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  get activeUdpSessions(): number {
    return this.udpSessions.size;
  }

  /** Why `service` cannot be served over `type`: it is not exposed, or exposed over the other protocol. */
  private refusal(service: string, type: 'tcp' | 'udp'): string {
    const t = this.services.get(service);
    if (t) return `${this.node.name} exposes "${service}" over ${(t.type ?? 'tcp').toUpperCase()}, not ${type.toUpperCase()}`;
    const offered = [...this.services].map(([name, s]) => (s.type === 'udp' ? `${name}/udp` : name)).join(', ') || 'none';
    return `${this.node.name} does not expose "${service}" (exposed: ${offered})`;
  }

  private onStream(session: PeerSession, dc: DataChannel): void {
    const label = dc.getLabel();
    const udpService = udpServiceFromLabel(label);
    if (udpService !== undefined) return this.onUdp(session, dc, udpService);
    const log = this.node.log.child('expose');
    const service = serviceFromLabel(label);
    const peer = session.remote.name;
    let rowId: string | undefined;
    const stream = new TunnelStream(dc, log, (end) => {
      this.streams.delete(stream);
      session.release(dc);
      this.rows.streamEnded(rowId, stream.stats);
      if (rowId !== undefined && service !== undefined) this.emit('stream-end', session, { service, type: 'tcp', ...stream.stats });
      if (!end.ok) log.info('stream ended', { peer, service: service ?? label, reason: end.reason, code: end.code });
    });
    this.streams.add(stream);
    const target = service !== undefined ? this.services.get(service) : undefined;
    if (service === undefined || !target || (target.type ?? 'tcp') !== 'tcp') {
      const msg = this.refusal(service ?? label, 'tcp');
      log.warn('refused stream for unknown service', { peer, service: service ?? label, ...(target ? { exposedAs: target.type } : {}) });
      stream.refuse(ErrorCode.UnknownService, msg);
      return;
    }
    rowId = this.rows.rowFor(session, service);
    const sock = tcpConnect({ host: target.host, port: target.port, allowHalfOpen: true });
    sock.setNoDelay(true);
    let connected = false;
    sock.once('connect', () => {
      connected = true;
      stream.attach(sock);
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (connected) return; // TunnelStream handles errors once attached
      const msg = `${this.node.name}/${service}: local service ${target.host}:${target.port} is unavailable (${err.code ?? err.message})`;
      log.warn('service unavailable', { peer, service, target: `${target.host}:${target.port}`, err: err.code ?? err.message });
      stream.refuse(ErrorCode.ServiceUnavailable, msg);
    });
  }

  /** A UDP session's channel: served by a UdpServiceSession when `service` is exposed as UDP, else refused. */
  private onUdp(session: PeerSession, dc: DataChannel, service: string): void {
    const log = this.node.log.child('expose');
    const peer = session.remote.name;
    const target = this.services.get(service);
    if (!target || target.type !== 'udp') {
      log.warn('refused udp session for unknown service', { peer, service, ...(target ? { exposedAs: target.type ?? 'tcp' } : {}) });
      refuseChannel(dc, ErrorCode.UnknownService, this.refusal(service, 'udp'), () => session.release(dc));
      return;
    }
    const rowId = this.rows.rowFor(session, service);
    const udp = new UdpServiceSession(dc, target, log, (end) => {
      this.udpSessions.delete(udp);
      session.release(dc);
      this.rows.streamEnded(rowId, { bytesOut: end.stats.bytesToPeer, bytesIn: end.stats.bytesToService });
      this.emit('stream-end', session, { service, type: 'udp', bytesOut: end.stats.bytesToPeer, bytesIn: end.stats.bytesToService });
      if (!end.ok) log.info('udp session ended', { peer, service, reason: end.reason });
    });
    this.udpSessions.add(udp);
  }
}
