/**
 * STUN (RFC 8489) and TURN (RFC 8656) over UDP, in the signal server process.
 *
 * This file holds the sockets, the dispatch and the replies, as pion/turn's
 * server.go does. The handlers live in ./handlers (binding, auth, allocate,
 * requests, relay: the data path), the state in ./allocation (allocations,
 * permissions, channels, indexes, events) and ./reservations; wire formats
 * come from src/stun (pure codec), peer policy from ./peer-filter, relay ports
 * from ./port-pool, and the mapping-log rows from a listener (./mapping-rows).
 * Credentials are the "TURN REST API" scheme coturn's `use-auth-secret` uses,
 * so the same secret works with coturn.
 *
 * Robustness: any datagram, however malformed, is dropped or answered with an
 * error; nothing a client sends can throw out of the handler or touch another
 * client's allocation.
 */
import { X509Certificate } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  Attr,
  ErrorCodes,
  Method,
  StunClass,
  StunDecodeError,
  buildError,
  decodeErrorCode,
  decodeMessage,
  encodeMessage,
  getAttribute,
  encodeUnknownAttributes,
  isLegacyBinding,
  isStunMessage,
  looksLikeChannelData,
  methodName,
  type StunMessage,
} from '../../src/stun/index.js';
import { createLogger } from '../../src/util/log.js';
import { AllocationTable, allocKey, noDrops, type Client } from './allocation.js';
import type { Alloc, Handle, TurnContext, TurnServerOptions, TurnStats } from './context.js';
import { freeAllocation, onAllocate, sweepAllocations } from './handlers/allocate.js';
import { authenticate, ownerGone } from './handlers/auth.js';
import { onBinding, onLegacyBinding } from './handlers/binding.js';
import { onChannelData, onSend } from './handlers/relay.js';
import { onChannelBind, onCreatePermission, onRefresh } from './handlers/requests.js';
import { mappingRows } from './mapping-rows.js';
import { NonceIssuer } from './nonce.js';
import { normalizeAddress } from './peer-filter.js';
import { PortPool } from './port-pool.js';
import { Reservations } from './reservations.js';
import { StreamListener, type StreamStats } from './stream-listener.js';
import { ipLiteralLookup } from './sync-lookup.js';

/** Housekeeping: expiry of allocations, permissions and channels; byte counters to the log. */
const SWEEP_MS = 1000;
/** Comprehension-required attributes (< 0x8000) this server understands. */
const KNOWN_REQUIRED = new Set<number>([
  Attr.MappedAddress,
  Attr.Username,
  Attr.MessageIntegrity,
  Attr.ErrorCode,
  Attr.UnknownAttributes,
  Attr.ChannelNumber,
  Attr.Lifetime,
  Attr.XorPeerAddress,
  Attr.Data,
  Attr.Realm,
  Attr.Nonce,
  Attr.XorRelayedAddress,
  Attr.RequestedAddressFamily,
  Attr.EvenPort,
  Attr.RequestedTransport,
  Attr.DontFragment,
  Attr.XorMappedAddress,
  Attr.ReservationToken,
  Attr.Priority,
  Attr.UseCandidate,
  Attr.ChangeRequest,
  Attr.Padding,
  Attr.ResponsePort,
  Attr.MessageIntegritySha256,
  Attr.PasswordAlgorithm,
  Attr.Userhash,
]);

/** Kernel buffer asked for the client-facing socket (see listen()). */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

export type { TurnServerOptions, TurnStats } from './context.js';

/**
 * This host's own addresses when a socket listens on a wildcard: datagrams to
 * any of them reach our service ports, so the peer policy must know them all.
 */
function wildcardAddresses(...binds: (string | undefined)[]): string[] {
  if (!binds.some((b) => b === '0.0.0.0' || b === '::')) return [];
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

export class TurnServer {
  private readonly ctx: TurnContext;
  private sweepTimer?: NodeJS.Timeout;
  /** TURN over TCP and over TLS, when configured (./stream-listener). */
  private readonly streams: StreamListener[] = [];
  /** The TLS certificate's SHA-256 fingerprint, computed once. */
  private fingerprint?: string;

  constructor(opts: TurnServerOptions) {
    const log = opts.logger ?? createLogger('turn');
    const table = new AllocationTable<Handle>(opts.quotas);
    if (opts.mapping) table.listen(mappingRows(opts.mapping, opts.name));
    const pool = new PortPool(opts.relayPorts.min, opts.relayPorts.max);
    const reservations = new Reservations<Socket>(
      (next) => {
        pool.release(next.address().port);
        next.close();
      },
      (next) => next.close(),
    );
    this.ctx = {
      opts,
      log,
      table,
      pool,
      nonces: new NonceIssuer(),
      reservations,
      stats: { allocations: 0, relayPortsInUse: 0, packetsRelayed: 0, bytesRelayed: 0, malformed: 0, refused: 0, dropped: noDrops(), noAllocation: 0, allocateFailures: {} },
      socket: undefined,
      binders: [],
      advertised: '',
      // Replaced by listen() once the ports are bound; no request is handled before.
      policy: { allowPrivatePeers: opts.allowPrivatePeers, ownAddresses: new Set(), ownPorts: new Set(), relayPorts: opts.relayPorts },
      sendTo: (client, data) => {
        if (client.stream) return client.stream.send(data);
        const sock = this.ctx.socket;
        if (!sock) return false;
        sock.send(data as Buffer | Buffer[], client.port, client.address);
        return true;
      },
      reply: (client, msg) => {
        this.countFailure(msg);
        this.ctx.sendTo(client, encodeMessage(msg, { fingerprint: true }));
      },
      replyAuth: (client, key, msg) => {
        this.countFailure(msg);
        this.ctx.sendTo(client, encodeMessage(msg, { integrityKey: key, fingerprint: true }));
      },
    };
  }

  async listen(): Promise<{ address: string; port: number }> {
    const { ctx } = this;
    const { opts } = ctx;
    // Every client's traffic meets on this one socket: a burst from one peer's SCTP must
    // not overflow the kernel's default ~208 KiB queue while the loop is busy with another
    // (coturn sizes its listeners the same way). The kernel caps it at net.core.[rw]mem_max.
    const sock = createSocket({ type: 'udp4', reuseAddr: false, lookup: ipLiteralLookup as never, recvBufferSize: SOCKET_BUFFER_BYTES, sendBufferSize: SOCKET_BUFFER_BYTES });
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo, false));
    sock.on('error', (err) => ctx.log.error('STUN/TURN socket error', { err }));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(opts.port, opts.host, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    ctx.socket = sock;
    ctx.binders = [sock];
    const addr = sock.address();
    if (opts.altAddress) {
      const altPort = opts.altPort ?? addr.port + 1;
      for (const [i, ip, port] of [[1, opts.host, altPort], [2, opts.altAddress, addr.port], [3, opts.altAddress, altPort]] as const) {
        const alt = createSocket({ type: 'udp4', reuseAddr: false });
        alt.on('message', (m, r) => this.onAltMessage(i, m, r));
        alt.on('error', (err) => ctx.log.error('alternate STUN socket error', { err }));
        await new Promise<void>((resolve, reject) => {
          alt.once('error', reject);
          alt.bind(port, ip, () => {
            alt.off('error', reject);
            resolve();
          });
        });
        ctx.binders[i] = alt;
      }
    }
    await this.listenStreams(addr.port);
    ctx.advertised = opts.publicIp ?? (opts.relayBind && opts.relayBind !== '0.0.0.0' ? opts.relayBind : opts.host);
    ctx.policy = {
      allowPrivatePeers: opts.allowPrivatePeers,
      ownAddresses: new Set([ctx.advertised, opts.host, opts.relayBind ?? opts.host, ...(opts.altAddress ? [opts.altAddress] : []), ...wildcardAddresses(opts.host, opts.relayBind)].map(normalizeAddress)),
      ownPorts: new Set([...ctx.binders.map((b) => b.address().port), ...opts.protectedPorts]),
      relayPorts: opts.relayPorts,
      isAllocation: (port) => ctx.table.atRelayPort(port) !== undefined,
    };
    this.sweepTimer = setInterval(() => sweepAllocations(ctx), SWEEP_MS);
    this.sweepTimer.unref();
    ctx.log.info('STUN/TURN listening', {
      address: `${addr.address}:${addr.port}/udp`,
      relay: `${ctx.advertised}:${opts.relayPorts.min}-${opts.relayPorts.max}`,
      realm: opts.realm,
      behaviourDiscovery: ctx.binders.length === 4 ? `${opts.altAddress}:${ctx.binders[3]!.address().port}` : 'off (no --alt-ip)',
      privatePeers: opts.allowPrivatePeers ? 'allowed' : 'refused',
      ...(this.streams.length ? { streams: this.streams.map((l) => `${l.port}/${l.transport}`).join(' ') } : {}),
    });
    return { address: addr.address, port: addr.port };
  }

  /** TCP on the UDP port's number unless told otherwise (as coturn does), TLS where asked. */
  private async listenStreams(udpPort: number): Promise<void> {
    const { opts, log } = this.ctx;
    const handlers = {
      frame: (buf: Buffer, client: Client) => this.onMessage(buf, client, true),
      closed: (client: Client) => {
        const a = this.ctx.table.get(allocKey(client));
        if (a) freeAllocation(this.ctx, a, `its ${client.stream?.transport ?? ''} connection closed`);
      },
      hasAllocation: (client: Client) => this.ctx.table.get(allocKey(client)) !== undefined,
    };
    const want: { transport: 'tcp' | 'tls'; port: number }[] = [];
    // An ephemeral UDP port (0, the tests' choice) gets an ephemeral TCP one: the same number may be taken on TCP.
    if (opts.tcpPort !== false) want.push({ transport: 'tcp', port: opts.tcpPort ?? (opts.port === 0 ? 0 : udpPort) });
    if (opts.tls) want.push({ transport: 'tls', port: opts.tls.port });
    for (const w of want) {
      const tls = w.transport === 'tls' ? { cert: opts.tls!.cert, key: opts.tls!.key, ...(opts.httpsFallback ? { fallback: opts.httpsFallback } : {}) } : {};
      const l = new StreamListener({ ...w, host: opts.host, ...tls, log }, handlers);
      await l.listen();
      this.streams.push(l);
    }
  }

  /** What peers are told of the TCP and TLS listeners: their ports, and the fingerprint of a self-signed certificate. */
  get streamEndpoints(): { tcpPort?: number; tlsPort?: number; certFingerprint?: string } {
    const { tcp, tls } = this.streamPorts;
    const tlsOpts = this.ctx.opts.tls;
    return {
      ...(tcp !== undefined ? { tcpPort: tcp } : {}),
      ...(tls !== undefined ? { tlsPort: tls } : {}),
      ...(tls !== undefined && tlsOpts?.selfSigned ? { certFingerprint: (this.fingerprint ??= new X509Certificate(tlsOpts.cert).fingerprint256) } : {}),
    };
  }

  /** The TCP and TLS listeners' ports (undefined: not listening). */
  get streamPorts(): { tcp?: number; tls?: number } {
    const out: { tcp?: number; tls?: number } = {};
    for (const l of this.streams) if (l.port !== undefined) out[l.transport] = l.port;
    return out;
  }

  streamStats(): Record<'tcp' | 'tls', StreamStats | undefined> {
    return { tcp: this.streams.find((l) => l.transport === 'tcp')?.stats, tls: this.streams.find((l) => l.transport === 'tls')?.stats };
  }

  /** The address clients are told to use for the relay (and STUN). */
  get advertisedAddress(): string {
    return this.ctx.advertised;
  }

  get port(): number {
    return this.ctx.socket?.address().port ?? this.ctx.opts.port;
  }

  getStats(): TurnStats {
    return { ...this.ctx.stats, dropped: { ...this.ctx.stats.dropped }, allocateFailures: { ...this.ctx.stats.allocateFailures }, allocations: this.ctx.table.size, relayPortsInUse: this.ctx.pool.used };
  }

  /** An Allocate refused: counted by its error code (the /metrics failures). */
  private countFailure(msg: StunMessage): void {
    if (msg.cls !== StunClass.ErrorResponse || msg.method !== Method.Allocate) return;
    const raw = getAttribute(msg, Attr.ErrorCode);
    const code = raw ? String(decodeErrorCode(raw).code) : 'unknown';
    const f = this.ctx.stats.allocateFailures;
    f[code] = (f[code] ?? 0) + 1;
  }

  allocations(): Alloc[] {
    return this.ctx.table.all();
  }

  /** A peer left the signal server: its allocations go with it. */
  releaseUser(user: string): void {
    for (const a of this.ctx.table.ofUser(user)) freeAllocation(this.ctx, a, 'owner left the signal server');
  }

  /**
   * Free the allocations at these relay ports that belong to `user` (a session of
   * theirs closed; see RelayReleaseSchema). Returns how many were freed.
   */
  releaseOwned(user: string, relayPorts: readonly number[]): number {
    let freed = 0;
    for (const port of relayPorts) {
      const a = this.ctx.table.atRelayPort(port);
      if (!a || a.user !== user) continue;
      freeAllocation(this.ctx, a, 'released by its owner (the session using it closed)');
      freed++;
    }
    return freed;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const a of this.ctx.table.all()) freeAllocation(this.ctx, a, 'server stopping');
    await Promise.all(this.streams.map((l) => l.close()));
    this.streams.length = 0;
    this.ctx.reservations.clear();
    for (const b of this.ctx.binders.slice(1)) b.close();
    this.ctx.binders = [];
    await new Promise<void>((resolve) => (this.ctx.socket ? this.ctx.socket.close(() => resolve()) : resolve()));
    this.ctx.socket = undefined;
  }

  // ---------------------------------------------------------------- dispatch

  /** A datagram (`stream` false: `from` is the sender's RemoteInfo), or a frame from a TCP/TLS client. */
  private onMessage(buf: Buffer, from: Client, stream: boolean): void {
    try {
      if (looksLikeChannelData(buf)) return onChannelData(this.ctx, buf, from);
      if (isStunMessage(buf)) return this.onStun(buf, stream ? from : { address: from.address, port: from.port });
      if (!stream && isLegacyBinding(buf)) return onLegacyBinding(this.ctx, buf, from as RemoteInfo);
      this.ctx.stats.malformed++;
    } catch (err) {
      this.ctx.stats.malformed++;
      if (err instanceof StunDecodeError) {
        this.ctx.log.debug('dropping malformed packet', { from: `${from.address}:${from.port}`, reason: err.reason });
      } else {
        this.ctx.log.error('internal error handling packet', { from: `${from.address}:${from.port}`, err });
      }
    }
  }

  private onStun(buf: Buffer, client: Client): void {
    const msg = decodeMessage(buf);
    if (msg.cls === StunClass.Indication) {
      if (msg.method === Method.Send) onSend(this.ctx, msg, client);
      return;
    }
    if (msg.cls !== StunClass.Request) return; // responses are not for us
    const unknown = msg.attributes.map((a) => a.type).filter((t) => t < 0x8000 && !KNOWN_REQUIRED.has(t));
    if (unknown.length) {
      this.ctx.reply(client, buildError(msg, ErrorCodes.UnknownAttribute, undefined, [{ type: Attr.UnknownAttributes, value: encodeUnknownAttributes(unknown) }]));
      return;
    }
    if (msg.method === Method.Binding) return onBinding(this.ctx, msg, client);
    if (msg.method !== Method.Allocate && msg.method !== Method.Refresh && msg.method !== Method.CreatePermission && msg.method !== Method.ChannelBind) {
      this.ctx.reply(client, buildError(msg, ErrorCodes.BadRequest, `unsupported method ${methodName(msg.method)}`));
      return;
    }
    const cred = authenticate(this.ctx, msg, buf, client);
    if (!cred) return;
    if (ownerGone(this.ctx, msg, client, cred)) return;
    switch (msg.method) {
      case Method.Allocate:
        onAllocate(this.ctx, msg, client, cred.key, cred.username, cred.user).catch((err: unknown) => {
          this.ctx.stats.malformed++;
          this.ctx.log.warn('allocate failed', { client: `${client.address}:${client.port}`, err: err instanceof StunDecodeError ? err.reason : err });
        });
        return;
      case Method.Refresh:
        return onRefresh(this.ctx, msg, client, cred.key, cred.username);
      case Method.CreatePermission:
        return onCreatePermission(this.ctx, msg, client, cred.key, cred.username);
      case Method.ChannelBind:
        return onChannelBind(this.ctx, msg, client, cred.key, cred.username);
    }
  }

  /** Requests on the alternate sockets: only Binding (behaviour discovery), never TURN. */
  private onAltMessage(recv: number, buf: Buffer, rinfo: RemoteInfo): void {
    try {
      if (isStunMessage(buf)) {
        const msg = decodeMessage(buf);
        if (msg.cls === StunClass.Request && msg.method === Method.Binding) onBinding(this.ctx, msg, { address: rinfo.address, port: rinfo.port }, recv);
      } else if (isLegacyBinding(buf)) {
        onLegacyBinding(this.ctx, buf, rinfo, recv);
      }
    } catch (err) {
      this.ctx.stats.malformed++;
      this.ctx.log.debug('dropping malformed packet on alternate socket', { from: `${rinfo.address}:${rinfo.port}`, reason: err instanceof StunDecodeError ? err.reason : String(err) });
    }
  }

}
