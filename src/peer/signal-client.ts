/**
 * A peer's connection to the signal server: registers with its identity, keeps
 * the presence list, delivers signals, and reconnects (with backoff) when the
 * server goes away. Established peer connections do not depend on it.
 */
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import {
  NameSchema,
  PROTOCOL_VERSION,
  decodeServerMessage,
  encodeMessage,
  registerChallenge,
  type ClientMessage,
  type ErrorMessage,
  type IceServerConfig,
  type NatInfo,
  type PeerInfo,
  type RegisteredMessage,
  type SignalInMessage,
  type SignalPayload,
} from '../protocol/messages.js';
import { ErrorCode, P2prcError } from '../protocol/errors.js';
import type { Identity } from '../identity/keys.js';
import { createLogger, type Logger } from '../util/log.js';

/** Reconnect backoff: first retry after MIN, doubling up to MAX. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** App-level ping for latency measurement and to keep NAT bindings to the server warm. */
const PING_INTERVAL_MS = 20_000;
/** Register must complete within this, or the first connect() fails. */
const REGISTER_TIMEOUT_MS = 10_000;

export interface SignalClientOptions {
  url: string;
  name: string;
  identity: Identity;
  secret?: string;
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
}

export class SignalClient extends EventEmitter<SignalClientEvents> {
  readonly url: string;
  private readonly opts: SignalClientOptions;
  private readonly log: Logger;
  private ws?: WebSocket;
  private closed = false;
  private backoff = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private pingSent = new Map<number, number>();
  private pingSeq = 0;
  private readonly online = new Map<string, PeerInfo>();
  iceServers: IceServerConfig[] = [];
  registered = false;
  /** Set once the first registration succeeded: later refusals are retried, not fatal. */
  private everRegistered = false;
  /** The last connection error, named when registration times out (a TLS or DNS failure is otherwise invisible). */
  private lastError?: string;
  private nat?: NatInfo;

  constructor(opts: SignalClientOptions) {
    super();
    // A name the server would refuse is an error now, not a registration timeout later.
    const name = NameSchema.safeParse(opts.name);
    if (!name.success) throw new P2prcError(ErrorCode.BadName, `bad name "${opts.name}": ${name.error.issues[0]?.message ?? 'invalid'}`);
    this.opts = opts;
    this.url = opts.url;
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

  peers(): PeerInfo[] {
    return [...this.online.values()];
  }
  peerById(peerId: string): PeerInfo | undefined {
    return this.online.get(peerId);
  }
  peerByName(name: string): PeerInfo | undefined {
    for (const p of this.online.values()) if (p.name === name) return p;
    return undefined;
  }

  /** Publish our NAT behaviour (kept, and sent again after every re-registration). */
  publishNat(nat: NatInfo): void {
    this.nat = nat;
    this.send({ type: 'nat', nat });
  }

  /** Send a signal to a peer; false when the server connection is down. */
  signal(to: string, payload: SignalPayload): boolean {
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
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.ws?.close(1000, 'bye');
    this.ws?.terminate();
  }

  private open(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.url, { handshakeTimeout: REGISTER_TIMEOUT_MS });
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      try {
        this.onMessage(ws, raw);
      } catch (err) {
        this.log.warn('ignoring bad message from signal server', { err });
      }
    });
    ws.on('error', (err) => {
      this.lastError = err.message;
      this.log.debug('signal connection error', { url: this.url, err });
    });
    ws.on('close', () => {
      if (this.ws !== ws) return;
      const was = this.registered;
      this.registered = false;
      if (this.pingTimer) clearInterval(this.pingTimer);
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
        this.everRegistered = true;
        this.backoff = RECONNECT_MIN_MS;
        this.iceServers = msg.iceServers;
        this.online.clear();
        for (const p of msg.peers) this.online.set(p.peerId, p);
        if (this.nat) this.send({ type: 'nat', nat: this.nat });
        this.startPing();
        this.emit('registered', msg);
        return;
      case 'presence':
        if (msg.event === 'join') {
          this.online.set(msg.peer.peerId, msg.peer);
          this.emit('join', msg.peer);
        } else if (msg.event === 'update') {
          if (this.online.has(msg.peer.peerId)) this.online.set(msg.peer.peerId, msg.peer);
        } else {
          this.online.delete(msg.peer.peerId);
          this.emit('leave', msg.peer);
        }
        return;
      case 'peers':
        this.online.clear();
        for (const p of msg.peers) this.online.set(p.peerId, p);
        return;
      case 'signal':
        this.emit('signal', msg);
        return;
      case 'pong': {
        const sent = msg.id !== undefined ? this.pingSent.get(msg.id) : undefined;
        if (sent !== undefined && msg.id !== undefined) {
          this.pingSent.delete(msg.id);
          this.emit('latency', performance.now() - sent);
        }
        return;
      }
      case 'error':
        this.log.warn('signal server error', { code: msg.code, message: msg.message, ref: msg.ref });
        this.emit('server-error', msg);
        if (msg.ref === 'register' && this.everRegistered && !this.closed) {
          // A re-registration refused (our name squatted while we were away, a rate limit):
          // keep trying with backoff rather than stay connected and unregistered for good.
          this.log.warn('re-registration refused, retrying', { code: msg.code, inMs: this.backoff });
          ws.close(1000, 'retrying registration');
        }
        return;
    }
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    const ping = (): void => {
      const id = ++this.pingSeq;
      this.pingSent.set(id, performance.now());
      if (this.pingSent.size > 16) this.pingSent.delete(this.pingSent.keys().next().value as number);
      this.send({ type: 'ping', id });
    };
    ping();
    this.pingTimer = setInterval(ping, PING_INTERVAL_MS);
    this.pingTimer.unref();
  }
}
