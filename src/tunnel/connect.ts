/**
 * Connector: a local TCP listener whose every connection is carried to a
 * service on a remote peer (`alice/web`), over the one PeerConnection shared
 * with that peer, each connection its own data channel.
 */
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { PeerNode } from '../peer/node.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import { TUNNEL_PROTOCOL, streamLabel } from './frames.js';
import { TunnelStream, type StreamEnd } from './stream.js';
import { RouteRows } from './routes.js';
import type { Route } from '../peer/ice.js';

/** A stream channel that does not open within this long means a stale session. */
const CHANNEL_OPEN_TIMEOUT_MS = 10_000;

export interface ConnectTarget {
  /** Name or full peer id. */
  peer: string;
  service: string;
}

/** Parse `alice/web` (or `<peer id>/web`). */
export function parseTarget(spec: string): ConnectTarget {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,62})\/([A-Za-z0-9][A-Za-z0-9._-]{0,62})$/.exec(spec);
  if (!m) throw new P2prcError(ErrorCode.BadArgument, `bad target "${spec}": expected peer/service, e.g. alice/web`);
  return { peer: m[1]!, service: m[2]! };
}

/** Parse `9000`, `host:9000` or `[::1]:9000`. */
export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(spec);
  if (!m || Number(m[2]) > 65535) throw new P2prcError(ErrorCode.BadArgument, `bad listen address "${spec}": expected [host:]port`);
  return { host: (m[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export interface ConnectorEvents {
  /** The route to the target peer; `previous` when ICE moved to another pair. */
  route: [Route, Route?];
  /** A TCP connection that could not be carried, and why. */
  failed: [P2prcError | Error];
  'stream-end': [StreamEnd];
}

export class Connector extends EventEmitter<ConnectorEvents> {
  readonly target: ConnectTarget;
  private readonly node: PeerNode;
  private readonly listen: { host: string; port: number };
  private server?: Server;
  private rows?: RouteRows;
  private readonly streams = new Set<TunnelStream>();

  constructor(node: PeerNode, target: ConnectTarget, listen: { host: string; port: number }) {
    super();
    this.node = node;
    this.target = target;
    this.listen = listen;
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  async start(): Promise<AddressInfo> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => void this.onConnection(sock));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listen.port, this.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.node.log.error('listener error', { err }));
    const addr = server.address() as AddressInfo;
    this.rows = new RouteRows(this.node.mapping, 'connect', { listen: `${addr.address}:${addr.port}` });
    this.node.on('route', (peer, route, previous) => {
      if (peer.name === this.target.peer || peer.peerId === this.target.peer) this.emit('route', route, previous);
    });
    return addr;
  }

  /** Set up the peer connection now rather than on the first TCP connection. */
  async warmUp(): Promise<Route> {
    const peer = await this.node.resolvePeer(this.target.peer);
    return this.node.session(peer).whenConnected();
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.abort('connector stopping', true);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onConnection(sock: Socket): Promise<void> {
    const log = this.node.log.child('connect');
    const what = `${this.target.peer}/${this.target.service}`;
    let gone = false;
    sock.setNoDelay(true);
    sock.on('error', () => undefined); // reported through the stream once attached
    sock.once('close', () => (gone = true));
    try {
      const peer = await this.node.resolvePeer(this.target.peer);
      let session = this.node.session(peer);
      await session.whenConnected();
      // The peer left the signal server and its path is being checked: a dead session is replaced.
      if (!(await session.usable())) {
        session = this.node.session(peer);
        await session.whenConnected();
      }
      if (gone) return;
      const dc = session.openChannel(streamLabel(this.target.service), TUNNEL_PROTOCOL);
      const rowId = this.rows?.rowFor(session, this.target.service);
      const stream = new TunnelStream(dc, log, (end) => {
        this.streams.delete(stream);
        session.release(dc);
        this.rows?.streamEnded(rowId, stream.stats);
        // Ended before (or without) attaching: the client's socket is ours to close.
        if (!end.ok) sock.destroy();
        if (!end.ok) log.warn('stream closed', { target: what, reason: end.reason, code: end.code });
        this.emit('stream-end', end);
      });
      this.streams.add(stream);
      const timer = setTimeout(() => {
        stream.abort(`data channel to ${what} did not open within ${CHANNEL_OPEN_TIMEOUT_MS / 1000}s`, false);
        session.close(new P2prcError(ErrorCode.Timeout, `session with ${peer.name} is stale`));
      }, CHANNEL_OPEN_TIMEOUT_MS);
      dc.onOpen(() => {
        clearTimeout(timer);
        stream.attach(sock);
      });
      sock.once('close', () => {
        if (!dc.isOpen()) {
          clearTimeout(timer);
          stream.abort('client went away before the channel opened', false);
        }
      });
    } catch (err) {
      log.warn('cannot carry connection', { target: what, err });
      this.emit('failed', err as Error);
      sock.destroy();
    }
  }
}
