/**
 * A peer's connection to the signal server: registers with its identity, looks
 * peers up and pages through who is online (presence is on demand: it hears only
 * about the peers it looked up or signalled with, see presence-view.ts),
 * delivers signals, and reconnects (with backoff) when the server goes away,
 * subscribing again to the peers it watched. Established peer connections do
 * not depend on it.
 */
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import {
  MAX_LOOKUP_TARGETS,
  NameSchema,
  PROTOCOL_VERSION,
  decodeServerMessage,
  encodeMessage,
  registerChallenge,
  type ClientMessage,
  type ErrorMessage,
  type IceServerConfig,
  type NatInfo,
  type PublishedService,
  type PeerInfo,
  type PeersMessage,
  type RegisteredMessage,
  type PublicPortsReply,
  type SignalInMessage,
  type SignalPayload,
} from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { Identity } from '../identity/keys.js';
import { createLogger, type Logger } from '../util/log.js';
import { PresenceView } from './presence-view.js';
import { PresenceRequests } from './presence-requests.js';
import { SignalPing } from './signal-ping.js';

/** Reconnect backoff: first retry after MIN, doubling up to MAX. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** Register must complete within this, or the first connect() fails. */
const REGISTER_TIMEOUT_MS = 10_000;
/**
 * `listAll` stops after this many peers: it bounds the memory of `p2prc peers`
 * against a server that pages forever (10,000 peers is the server's design scale).
 */
export const MAX_LIST_PEERS = 100_000;

export interface SignalClientOptions {
  url: string;
  name: string;
  identity: Identity;
  secret?: string;
  /**
   * wss:// only: accept exactly the certificate with this SHA-256 fingerprint
   * (as X509Certificate.fingerprint256 prints it) instead of checking it against
   * the CAs: a server's reverse proxy connecting to its own listener over
   * loopback, where the name in the certificate is not the address dialled.
   */
  pinnedCertSha256?: string;
  logger?: Logger;
}

export interface SignalClientEvents {
  registered: [RegisteredMessage];
  join: [PeerInfo];
  leave: [PeerInfo];
  signal: [SignalInMessage];
  'server-error': [ErrorMessage];
  disconnected: [];
  latency: [number];
  /** The answer to a `public-ports` request (reverse-proxy mode). */
  'public-ports': [PublicPortsReply];
}

export class SignalClient extends EventEmitter<SignalClientEvents> {
  readonly url: string;
  private readonly opts: SignalClientOptions;
  private readonly log: Logger;
  private ws?: WebSocket;
  private closed = false;
  private backoff = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly ping = new SignalPing(
    (id) => this.send({ type: 'ping', id }),
    (ms) => this.emit('latency', ms),
    { onSilent: () => this.silent() },
  );
  private readonly view = new PresenceView();
  private readonly requests: PresenceRequests;
  iceServers: IceServerConfig[] = [];
  registered = false;
  /** Set once the first registration succeeded: later refusals are retried, not fatal. */
  private everRegistered = false;
  /** The last connection error, named when registration times out (a TLS or DNS failure is otherwise invisible). */
  private lastError?: string;
  private nat?: NatInfo;
  private services?: PublishedService[];

  constructor(opts: SignalClientOptions) {
    super();
    // A name the server would refuse is an error now, not a registration timeout later.
    const name = NameSchema.safeParse(opts.name);
    if (!name.success) throw new P2prcError(ErrorCode.BadName, `bad name "${opts.name}": ${name.error.issues[0]?.message ?? 'invalid'}`);
    this.opts = opts;
    this.url = opts.url;
    this.requests = new PresenceRequests(opts.url);
    this.log = opts.logger ?? createLogger('signal-client');
  }

  /** Connect and register; resolves on the first successful registration. */
  connect(): Promise<RegisteredMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.close();
        const why = this.lastError ? ` (last error: ${this.lastError})` : '';
        reject(new P2prcError(ErrorCode.Timeout, `could not register with ${this.url} within ${REGISTER_TIMEOUT_MS / 1000}s${why}`));
      }, REGISTER_TIMEOUT_MS);
      const onReg = (m: RegisteredMessage): void => {
        cleanup();
        resolve(m);
      };
      const onErr = (e: ErrorMessage): void => {
        if (e.ref !== 'register') return;
        cleanup();
        this.close();
        reject(new P2prcError(e.code as ErrorCode, `signal server refused registration: ${e.message} (${e.code})`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('registered', onReg);
        this.off('server-error', onErr);
      };
      this.on('registered', onReg);
      this.on('server-error', onErr);
      this.open();
    });
  }

  /** The peers we know online: those we looked up or signalled with (not everyone; see listAll). */
  peers(): PeerInfo[] {
    return this.view.peers();
  }
  peerById(peerId: string): PeerInfo | undefined {
    return this.view.byId(peerId);
  }
  peerByName(name: string): PeerInfo | undefined {
    return this.view.byName(name);
  }

  /**
   * Ask the server for `target` (a name or a peer id) and subscribe to its
   * presence (kept across reconnects): the peer when online, else undefined
   * (a `join` event follows when it comes online).
   */
  lookup(target: string): Promise<PeerInfo | undefined> {
    this.view.watch(target);
    if (!this.send({ type: 'lookup', targets: [target] })) return Promise.resolve(undefined);
    return this.requests.lookup(target);
  }

  /** One page of the peers online (other than us), from `cursor`. */
  listPage(cursor?: string): Promise<PeersMessage> {
    if (!this.send({ type: 'list', cursor })) return Promise.reject(new P2prcError(ErrorCode.NotRegistered, `not registered with ${this.url}`));
    return this.requests.list();
  }

  /** Every peer online, page after page (at most MAX_LIST_PEERS). */
  async listAll(): Promise<PeerInfo[]> {
    const all: PeerInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listPage(cursor);
      all.push(...page.peers);
      // The cursor only moves forward: a server that repeats a page cannot loop us.
      if (page.next !== undefined && cursor !== undefined && page.next <= cursor) break;
      cursor = page.next;
    } while (cursor !== undefined && all.length < MAX_LIST_PEERS);
    return all;
  }

  /** Publish our NAT behaviour (kept, and sent again after every re-registration). */
  publishNat(nat: NatInfo): void {
    this.nat = nat;
    this.send({ type: 'nat', nat });
  }

  /** Publish the services we expose, by name and type (kept, and sent again after every re-registration). */
  publishServices(services: PublishedService[]): void {
    this.services = services;
    this.send({ type: 'services', services });
  }

  /** Send a signal to a peer; false when the server connection is down. */
  signal(to: string, payload: SignalPayload): boolean {
    // The server subscribes us to a peer we signal: remember it, to subscribe again after a reconnect.
    this.view.watch(to);
    return this.send({ type: 'signal', to, payload });
  }

  send(msg: ClientMessage): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || (msg.type !== 'register' && !this.registered)) return false;
    ws.send(encodeMessage(msg));
    return true;
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.ping.stop();
    this.ws?.close(1000, 'bye');
    this.ws?.terminate();
  }

  private open(): void {
    if (this.closed) return;
    const pin = this.opts.pinnedCertSha256;
    const ws = new WebSocket(this.url, { handshakeTimeout: REGISTER_TIMEOUT_MS, ...(pin ? { rejectUnauthorized: false } : {}) });
    this.ws = ws;
    if (pin) {
      // Checked at the upgrade, before the server's hello and so before our secret goes out.
      ws.once('upgrade', (res) => {
        const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.();
        if (cert?.fingerprint256 !== pin) {
          this.lastError = `certificate ${cert?.fingerprint256 ?? '(none)'} is not the pinned one`;
          this.log.warn('signal server certificate is not the pinned one; closing', { url: this.url });
          ws.terminate();
          // For good: another certificate will not turn into the pinned one by retrying.
          this.emit('server-error', { type: 'error', code: ErrorCode.Tampered, message: this.lastError, ref: 'register' });
          this.close();
        }
      });
    }
    ws.on('message', (data, isBinary) => {
      this.ping.alive();
      if (isBinary) return;
      const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      try {
        this.onMessage(ws, raw);
      } catch (err) {
        this.log.warn('ignoring bad message from signal server', { err });
      }
    });
    ws.on('ping', () => this.ping.alive());
    ws.on('error', (err) => {
      this.lastError = err.message;
      this.log.debug('signal connection error', { url: this.url, err });
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      const was = this.registered;
      this.registered = false;
      this.ping.stop();
      this.requests.failAll();
      // Keep the last presence list: tunnels to those peers still work without the
      // server, and re-registering replaces the list with a fresh one.
      if (was && !this.closed) {
        this.log.warn('lost the signal server; established tunnels keep running, reconnecting', { url: this.url });
        this.emit('disconnected');
      }
      if (!this.closed) {
        this.reconnectTimer = setTimeout(() => this.open(), this.backoff);
        this.backoff = Math.min(this.backoff * 2, RECONNECT_MAX_MS);
      }
    });
  }

  /**
   * The server answered nothing since our last ping (signal-ping.ts): its host
   * may be gone without a FIN or RST. Drop the connection, so 'disconnected'
   * fires and we reconnect (or a reverse proxy's peer fails over).
   */
  private silent(): void {
    const ws = this.ws;
    if (!ws || this.closed || ws.readyState !== WebSocket.OPEN) return;
    this.log.warn('the signal server has gone silent; dropping the connection', { url: this.url });
    ws.terminate();
  }

  private onMessage(ws: WebSocket, raw: Buffer): void {
    const msg = decodeServerMessage(raw);
    switch (msg.type) {
      case 'hello': {
        if (msg.v !== PROTOCOL_VERSION) {
          this.log.error('signal server speaks another protocol version', { server: msg.v, ours: PROTOCOL_VERSION });
        }
        const { identity, name, secret } = this.opts;
        ws.send(
          encodeMessage({
            type: 'register',
            v: PROTOCOL_VERSION,
            name,
            publicKey: identity.publicKey,
            signature: identity.sign(registerChallenge(msg.nonce, name)),
            secret,
          }),
        );
        return;
      }
      case 'registered':
        this.registered = true;
        if (this.everRegistered) this.log.info('registered again', { url: this.url, name: msg.name });
        this.everRegistered = true;
        this.backoff = RECONNECT_MIN_MS;
        this.iceServers = msg.iceServers;
        if (this.nat) this.send({ type: 'nat', nat: this.nat });
        if (this.services) this.send({ type: 'services', services: this.services });
        // Like the full list this reply used to carry: forget what may be stale, then ask again.
        this.view.reset();
        this.resubscribe();
        this.ping.start();
        this.emit('registered', msg);
        return;
      case 'presence': {
        const event = this.view.presence(msg.event, msg.peer);
        if (event) this.emit(event, msg.peer);
        return;
      }
      case 'peers':
        this.requests.answerList(msg);
        return;
      case 'lookup':
        for (const p of this.view.lookup(msg.results)) this.emit('join', p);
        this.requests.answerLookup(msg);
        return;
      case 'signal':
        this.view.signalFrom(msg.from);
        this.emit('signal', msg);
        return;
      case 'pong':
        this.ping.pong(msg.id);
        return;
      case 'public-ports':
        this.emit('public-ports', msg);
        return;
      case 'error':
        this.log.warn('signal server error', { code: msg.code, message: msg.message, ref: msg.ref });
        this.emit('server-error', msg);
        if (msg.ref === 'list') this.requests.refuseList(msg.code, msg.message);
        if (msg.ref === 'register' && this.everRegistered && !this.closed) {
          // A re-registration refused (our name squatted while we were away, a rate limit):
          // keep trying with backoff rather than stay connected and unregistered for good.
          this.log.warn('re-registration refused, retrying', { code: msg.code, inMs: this.backoff });
          ws.close(1000, 'retrying registration');
        }
        return;
    }
  }

  /** After (re-)registering: subscribe again to every peer we watched (the server forgot with the old connection). */
  private resubscribe(): void {
    const targets = this.view.targets();
    for (let i = 0; i < targets.length; i += MAX_LOOKUP_TARGETS) this.send({ type: 'lookup', targets: targets.slice(i, i + MAX_LOOKUP_TARGETS) });
  }
}
