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
import { TunnelStream, probeReset, type StreamEnd, type StreamLimits, type StreamStats } from './stream.js';
import { RouteRows } from './routes.js';
import { slotsOf } from './stream-slots.js';
import type { Route } from '../peer/ice.js';
import type { PeerInfo } from '../protocol/messages.js';
import type { PeerSession } from '../peer/session.js';
import type { SetupPhaseReport } from '../peer/setup-phases.js';

/** Tries to open a stream channel when libdatachannel has no stream id free although a slot was held. */
const MAX_OPEN_RETRIES = 32;
/** A stream's slot (stream-slots.ts) is freed this long after its end if its channel's close never completes. */
const SLOT_CLOSE_WAIT_MS = 10_000;
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

/**
 * A connected session from `sessionFor` (which makes one when there is none):
 * when the one it gave turns out dead (its peer left the signal server and the
 * path check failed), a new one is made for the same peer and waited for.
 */
export async function connectedSession(sessionFor: (known?: PeerInfo) => Promise<PeerSession>): Promise<PeerSession> {
  const session = await sessionFor();
  await session.whenConnected();
  if (await session.usable()) return session;
  const fresh = await sessionFor(session.remote);
  await fresh.whenConnected();
  return fresh;
}

export interface ConnectorOptions {
  /**
   * Checked first for each client: a reason to refuse it (the connection is
   * closed at once and the reason logged), or undefined to carry it. A public
   * port's client allow-list and its "peer offline" answer.
   */
  admit?: (sock: Socket) => string | undefined;
  /** Rate caps for each carried connection (a public port's bandwidth cap, shared by its connections). */
  limits?: StreamLimits;
  /** Keep mapping rows of its own (role `connect`, one per session); default true. */
  rows?: boolean;
}

export interface ConnectorEvents {
  /** The route to the target peer; `previous` when ICE moved to another pair. */
  route: [Route, Route?];
  /** A TCP connection that could not be carried, and why. */
  failed: [P2prcError | Error];
  /** A client connection accepted and admitted (before its stream is set up). */
  client: [Socket];
  /** A client connection refused by `admit`, and why. */
  refused: [Socket, string];
  'stream-end': [StreamEnd, StreamStats];
  /** A session's setup, phase by phase, once the first byte came back on its first stream. */
  setup: [SetupPhaseReport];
}

export class Connector extends EventEmitter<ConnectorEvents> {
  readonly target: ConnectTarget;
  private readonly node: PeerNode;
  private readonly listen: { host: string; port: number };
  private server?: Server;
  private rows?: RouteRows;
  private readonly streams = new Set<TunnelStream>();
  private readonly opts: ConnectorOptions;

  constructor(node: PeerNode, target: ConnectTarget, listen: { host: string; port: number }, opts: ConnectorOptions = {}) {
    super();
    this.node = node;
    this.target = target;
    this.listen = listen;
    this.opts = opts;
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
    if (this.opts.rows !== false) this.rows = new RouteRows(this.node.mapping, 'connect', { listen: `${addr.address}:${addr.port}` });
    this.node.on('route', (peer, route, previous) => {
      if (peer.name === this.target.peer || peer.peerId === this.target.peer) this.emit('route', route, previous);
    });
    return addr;
  }

  /** Set up the peer connection now rather than on the first TCP connection. */
  async warmUp(): Promise<Route> {
    return (await this.sessionToTarget()).whenConnected();
  }

  /**
   * The session with the target peer: resolved (a lookup unless a session is
   * connected), then the node's session, made now if there is none. A session made
   * here times its setup from when it was asked for (setup-phases.ts).
   */
  private async sessionToTarget(known?: PeerInfo): Promise<PeerSession> {
    const askedAt = performance.now();
    const peer = known ?? (await this.node.resolvePeer(this.target.peer));
    const resolvedAt = performance.now();
    const session = this.node.session(peer);
    if (session.state === 'connecting' && !session.phases.has('resolved')) {
      session.phases.startedAt(askedAt);
      if (!known) session.phases.mark('resolved', resolvedAt);
    }
    return session;
  }

  async stop(): Promise<void> {
    for (const s of this.streams) s.abort('connector stopping', true);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async onConnection(sock: Socket): Promise<void> {
    const log = this.node.log.child('connect');
    const what = `${this.target.peer}/${this.target.service}`;
    let gone = false;
    const refusal = this.opts.admit?.(sock);
    if (refusal !== undefined) {
      log.info('client refused', { target: what, client: `${sock.remoteAddress}:${sock.remotePort}`, reason: refusal });
      this.emit('refused', sock, refusal);
      sock.destroy();
      return;
    }
    this.emit('client', sock);
    sock.setNoDelay(true);
    sock.on('error', () => undefined); // reported through the stream once attached
    sock.once('close', () => (gone = true));
    try {
      const session = await connectedSession((known) => this.sessionToTarget(known));
      const peer = session.remote;
      // At most MAX_STREAMS_PER_SESSION streams at once (libdatachannel's stream ids): the rest wait their turn.
      const slots = slotsOf(session);
      const slot = slots.acquire();
      if (slot === undefined) {
        log.warn('too many connections waiting for a stream; refused', { target: what, open: slots.inUse, waiting: slots.queued });
        this.emit('failed', new P2prcError(ErrorCode.RateLimited, `${slots.inUse} streams open and ${slots.queued} connections waiting on the session with ${peer.name}`));
        sock.destroy();
        return;
      }
      if (slot !== true) {
        log.debug('waiting for a stream', { target: what, open: slots.inUse, waiting: slots.queued });
        const cancel = (): void => slot.cancel();
        sock.once('close', cancel);
        const granted = await slot.ready;
        sock.off('close', cancel);
        if (!granted) return;
      }
      let slotHeld = true;
      const freeSlot = (): void => {
        if (slotHeld) slots.release();
        slotHeld = false;
      };
      // A client that reset while it waited (its socket is still paused, unread) never
      // becomes a stream. Its bytes and its reset are both queued here; carried on, the
      // service would get the bytes and then the reset close behind them, and a Node
      // service reads data and a reset that arrive together as the data and a plain EOF
      // (libuv ends the read at the hang-up without reading the error): a half-close
      // that keeps its connection open. Caught here, the service never sees the stream.
      if (gone || (await probeReset(sock))) {
        freeSlot();
        log.debug('client reset before its stream opened', { target: what });
        return;
      }
      let dc;
      for (let attempt = 0; ; attempt++) {
        try {
          dc = session.openChannel(streamLabel(this.target.service), TUNNEL_PROTOCOL);
          break;
        } catch (err) {
          // Every stream id in use although we hold a slot: an id of a closed channel is not free
          // yet. Try again when the next stream's channel closes (bounded).
          if (!/Too many DataChannels/i.test((err as Error).message) || attempt >= MAX_OPEN_RETRIES || gone) {
            freeSlot();
            throw err;
          }
          await slots.nextRelease();
        }
      }
      // The slot frees when the channel is closed at the transport (its stream id reusable), or
      // at the latest a while after the stream ended (a channel whose close never completes).
      let slotTimer: NodeJS.Timeout | undefined;
      const rowId = this.rows?.rowFor(session, this.target.service);
      let timer: NodeJS.Timeout | undefined;
      const stream = new TunnelStream(
        dc,
        log,
        (end) => {
          clearTimeout(timer);
          slotTimer = setTimeout(freeSlot, SLOT_CLOSE_WAIT_MS);
          slotTimer.unref();
          this.streams.delete(stream);
          session.release(dc);
          this.rows?.streamEnded(rowId, stream.stats);
          // Ended before (or without) attaching: the client's socket is ours to close.
          if (!end.ok) sock.destroy();
          if (!end.ok) log.warn('stream closed', { target: what, reason: end.reason, code: end.code });
          this.emit('stream-end', end, stream.stats);
        },
        () => {
          // The first byte back on the session's first stream ends its setup.
          if (session.phases.has('firstByte')) return;
          session.phases.mark('firstByte');
          this.emit('setup', session.phases.report());
        },
      );
      stream.onChannelClosed(() => {
        clearTimeout(slotTimer);
        freeSlot();
      });
      this.streams.add(stream);
      if (this.opts.limits) stream.limit(this.opts.limits);
      timer = setTimeout(() => {
        stream.abort(`data channel to ${what} did not open within ${CHANNEL_OPEN_TIMEOUT_MS / 1000}s`, false);
        session.close(new P2prcError(ErrorCode.Timeout, `session with ${peer.name} is stale`));
      }, CHANNEL_OPEN_TIMEOUT_MS);
      dc.onOpen(() => {
        session.phases.mark('streamOpen');
        clearTimeout(timer);
      });
      // The client's bytes go at once, behind the channel's DCEP OPEN on the same
      // ordered stream, rather than one round trip later when the peer's ACK is in:
      // libdatachannel sends on a channel whose OPEN is out, and the peer reads the
      // OPEN first. The session is connected, so the OPEN left in openChannel.
      stream.attach(sock);
    } catch (err) {
      log.warn('cannot carry connection', { target: what, err });
      this.emit('failed', err as Error);
      sock.destroy();
    }
  }
}
