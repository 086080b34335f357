/**
 * Exposer: serves named local TCP services to peers. Each incoming stream
 * channel names a service in its label; anything not exposed is refused with
 * `unknown-service`, and a service that refuses the connection is reported as
 * `service-unavailable`, both to the remote peer and in our log.
 */
import { connect as tcpConnect } from 'node:net';
import type { DataChannel } from 'node-datachannel';
import type { PeerNode } from '../peer/node.js';
import type { PeerSession } from '../peer/session.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { serviceFromLabel } from './frames.js';
import { TunnelStream } from './stream.js';
import { RouteRows } from './routes.js';

export interface ServiceTarget {
  host: string;
  port: number;
}

/** Parse `web=8080` or `db=127.0.0.1:5432` (or `db=[::1]:5432`). */
export function parseServiceSpec(spec: string): [string, ServiceTarget] {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62})=(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(spec);
  if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad service "${spec}": expected name=port or name=host:port`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new P2prcError(ErrorCode.BadArgument, `bad port in "${spec}"`);
  return [m[1]!, { host: (m[2] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port }];
}

export class Exposer {
  readonly services: Map<string, ServiceTarget>;
  private readonly node: PeerNode;
  private readonly rows: RouteRows;
  private readonly streams = new Set<TunnelStream>();

  constructor(node: PeerNode, services: Map<string, ServiceTarget>) {
    this.node = node;
    this.services = services;
    this.rows = new RouteRows(node.mapping, 'expose');
    node.on('stream', (session, dc) => this.onStream(session, dc));
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  private onStream(session: PeerSession, dc: DataChannel): void {
    const log = this.node.log.child('expose');
    const label = dc.getLabel();
    const service = serviceFromLabel(label);
    const peer = session.remote.name;
    let rowId: string | undefined;
    const stream = new TunnelStream(dc, log, (end) => {
      this.streams.delete(stream);
      session.release(dc);
      this.rows.streamEnded(rowId, stream.stats);
      if (!end.ok) log.info('stream ended', { peer, service: service ?? label, reason: end.reason, code: end.code });
    });
    this.streams.add(stream);
    const target = service !== undefined ? this.services.get(service) : undefined;
    if (service === undefined || !target) {
      const offered = [...this.services.keys()].join(', ') || 'none';
      const msg = `${this.node.name} does not expose "${service ?? label}" (exposed: ${offered})`;
      log.warn('refused stream for unknown service', { peer, service: service ?? label });
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
}
