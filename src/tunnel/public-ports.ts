/**
 * A peer behind NAT asking a reverse proxy (a signal server run with
 * --reverse-proxy) for public ports for its services: sent after registering and
 * again after every re-registration (a restarted proxy gives the same ports back
 * while they are free), each port recorded in the peer's mapping log as the
 * seed's ip table entry (`ipv4` = the proxy's public address, `serverport` = the
 * public port, route `public-port`). Clients' connections then arrive as streams
 * from the proxy's peer and are served by the Exposer like any peer's.
 */
import { EventEmitter } from 'node:events';
import type { PeerNode } from '../peer/node.js';
import type { PublicPortsReply, PublicService } from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';

export interface PublicPortInfo {
  service: string;
  type: 'tcp' | 'udp';
  /** The proxy's public address (the seed's `ipv4`) and the public port (`serverport`). */
  ipv4: string;
  serverport: number;
  /** The proxy's signal server URL and its peer id. */
  proxy: string;
  proxyPeerId: string;
  /** The port it had before, when a later reply gave another one. */
  previous?: number;
  /** A later reply (after a re-registration: a restarted proxy, a dropped connection) gave the same port again. */
  kept?: boolean;
  /** The seed's ip table entry for this service, as a P2PRC node publishes it. */
  ip_address: { ipv4: string; ipv6: string; latency: number; download: number; upload: number; serverport: string };
}

export interface PublicPortsEvents {
  port: [PublicPortInfo];
  refused: [{ service: string; type: 'tcp' | 'udp'; error: P2prcError }];
}

/** `web=8080:public=30080` -> the service spec and the public port asked for (absent: any). */
export function splitPublicSpec(spec: string): { spec: string; publicPort?: number } {
  const m = /^(.*):public=(\d{1,5})$/.exec(spec);
  if (!m) return { spec };
  const port = Number(m[2]);
  if (port > 65535) throw new P2prcError(ErrorCode.BadArgument, `bad public port in "${spec}"`);
  return { spec: m[1]!, publicPort: port };
}

/** How long the first answer may take (the proxy binds each port). */
const REPLY_TIMEOUT_MS = 15_000;

export class PublicPorts extends EventEmitter<PublicPortsEvents> {
  private readonly node: PeerNode;
  private readonly services: PublicService[];
  /** service key -> its port and mapping row. */
  private readonly held = new Map<string, { port: number; rowId: string }>();
  /** The proxy's peer id, from its answers: its streams are the public ports' clients. */
  private proxyPeerId?: string;
  private readonly onRegistered = (): void => void this.ask();
  private readonly onReply = (m: PublicPortsReply): void => this.handle(m);
  private readonly onError = (m: { ref?: string; code: string; message: string }): void => {
    if (m.ref !== 'public-ports') return;
    for (const s of this.services) this.emit('refused', { service: s.name, type: s.type, error: new P2prcError(m.code as ErrorCode, m.message) });
  };

  constructor(node: PeerNode, services: PublicService[]) {
    super();
    this.node = node;
    this.services = services;
  }

  /**
   * Ask (the node is registered) and wait for the first answer: the ports, or a
   * P2prcError naming each service refused (e.g. `port-unavailable`) and why.
   */
  async start(): Promise<PublicPortInfo[]> {
    const signal = this.node.signal;
    signal.on('public-ports', this.onReply);
    signal.on('server-error', this.onError);
    const first = new Promise<PublicPortInfo[]>((resolve, reject) => {
      const got: PublicPortInfo[] = [];
      const failed: string[] = [];
      let codes = new Set<string>();
      const done = (): void => {
        clearTimeout(timer);
        this.off('port', onPort);
        this.off('refused', onRefused);
        if (failed.length) reject(new P2prcError(codes.size === 1 ? ([...codes][0] as ErrorCode) : ErrorCode.PortUnavailable, failed.join('; ')));
        else resolve(got);
      };
      const check = (): void => {
        if (got.length + failed.length >= this.services.length) done();
      };
      const onPort = (p: PublicPortInfo): void => {
        got.push(p);
        check();
      };
      const onRefused = (r: { service: string; type: string; error: P2prcError }): void => {
        failed.push(`${r.service} (${r.type}): ${r.error.message}`);
        codes = codes.add(r.error.code);
        check();
      };
      const timer = setTimeout(() => {
        failed.push(`no answer from the proxy within ${REPLY_TIMEOUT_MS / 1000} s`);
        codes.add(ErrorCode.Timeout);
        done();
      }, REPLY_TIMEOUT_MS);
      this.on('port', onPort);
      this.on('refused', onRefused);
    });
    signal.on('registered', this.onRegistered);
    this.ask();
    return first;
  }

  /** Stop asking; the rows are marked ended (the proxy closes the ports when we leave). */
  stop(): void {
    const signal = this.node.signal;
    signal.off('registered', this.onRegistered);
    signal.off('public-ports', this.onReply);
    signal.off('server-error', this.onError);
    for (const h of this.held.values()) this.node.mapping.end(h.rowId);
    this.held.clear();
  }

  /**
   * A stream (or UDP session) served to `fromPeerId` ended: when that is the
   * proxy and the service has a public port, its connection and bytes go on the
   * port's row (Exposer 'stream-end').
   */
  count(fromPeerId: string, service: string, type: 'tcp' | 'udp', stats: { bytesOut: number; bytesIn: number }): void {
    const held = this.held.get(`${type}/${service}`);
    if (!held || fromPeerId !== this.proxyPeerId) return;
    const row = this.node.mapping.get(held.rowId);
    this.node.mapping.addBytes(held.rowId, stats.bytesOut, stats.bytesIn);
    this.node.mapping.update(held.rowId, { connections: (row?.connections ?? 0) + 1 });
  }

  private ask(): void {
    // Ports asked for by number only where the user named one: the proxy gives a returning
    // peer its old port back by itself (public_ports.json), and a lost one is replaced, not refused.
    if (!this.node.signal.send({ type: 'public-ports', services: this.services })) this.node.log.debug('public ports: not registered; asking when we are');
  }

  private handle(m: PublicPortsReply): void {
    const server = this.node.signal.url;
    this.proxyPeerId = m.proxy;
    for (const r of m.results) {
      const key = `${r.type}/${r.name}`;
      if (r.error || !r.port) {
        const error = new P2prcError((r.error?.code ?? ErrorCode.PortUnavailable) as ErrorCode, r.error?.message ?? 'refused');
        this.node.log.warn('public port refused', { service: r.name, type: r.type, code: error.code, reason: error.message });
        this.emit('refused', { service: r.name, type: r.type, error });
        continue;
      }
      const had = this.held.get(key);
      const info = {
        service: r.name,
        type: r.type,
        ipv4: m.address,
        serverport: r.port,
        proxy: server,
        proxyPeerId: m.proxy,
        ip_address: { ipv4: m.address, ipv6: '', latency: 0, download: 0, upload: 0, serverport: String(r.port) },
      };
      if (had?.port === r.port) {
        this.emit('port', { ...info, kept: true });
        continue;
      }
      if (had) this.node.mapping.end(had.rowId);
      const row = this.node.mapping.add({
        Server_name: new URL(server).host,
        Address: m.address,
        Type: r.type === 'udp' ? 'UDP' : 'TCP',
        blind_port: r.port,
        role: 'expose',
        peer: m.proxy,
        service: r.name,
        route: 'public-port',
        ipv4: m.address,
        serverport: r.port,
        connections: 0,
      });
      this.held.set(key, { port: r.port, rowId: row.id });
      // On disk before the port is announced: whoever reads the log on the event finds the row.
      this.node.mapping.flush();
      this.emit('port', { ...info, ...(had ? { previous: had.port } : {}) });
    }
  }
}
