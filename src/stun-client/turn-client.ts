/**
 * A small TURN client (RFC 8656) over UDP: allocate, refresh, permissions,
 * channels, Send/Data indications and ChannelData. Used to check relays
 * (credentials, NAT tests) and by the relay's own tests as a real client.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import {
  Attr,
  ErrorCodes,
  Method,
  StunClass,
  buildIndication,
  buildRequest,
  decodeChannelData,
  decodeErrorCode,
  decodeLifetime,
  decodeMessage,
  decodeText,
  decodeXorAddress,
  encodeChannelData,
  encodeChannelNumber,
  encodeLifetime,
  encodeMessage,
  encodeRequestedTransport,
  encodeText,
  encodeXorAddress,
  getAttribute,
  isChannelData,
  isStunMessage,
  longTermKey,
  type StunAttribute,
  type StunMessage,
  type TransportAddress,
} from '../stun/index.js';
import { stunTransaction, type TransactionOptions } from './transaction.js';

export class TurnError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly method: string,
  ) {
    super(`${method}: ${code} ${reason}`);
    this.name = 'TurnError';
  }
}

export interface TurnClientOptions {
  server: { address: string; port: number };
  username: string;
  password: string;
  /** Local address to bind (default 0.0.0.0). */
  bind?: string;
  transaction?: TransactionOptions;
}

export interface TurnClientEvents {
  /** Data from a peer through the relay (Data indication or ChannelData). */
  data: [Buffer, { address: string; port: number }];
}

export class TurnClient extends EventEmitter<TurnClientEvents> {
  readonly socket: Socket;
  private readonly opts: TurnClientOptions;
  private realm = '';
  private nonce = '';
  private readonly channels = new Map<number, { address: string; port: number }>();
  relayed?: TransportAddress;
  mapped?: TransportAddress;
  lifetime = 0;
  /** Round-trip time of the first transaction with the server (the unauthenticated challenge). */
  firstRttMs = 0;
  /** The server asked for credentials (401 with REALM and NONCE) before accepting us. */
  challenged = false;

  constructor(opts: TurnClientOptions) {
    super();
    this.opts = opts;
    this.socket = createSocket('udp4');
    this.socket.on('message', (buf, rinfo) => this.onMessage(buf, rinfo));
    this.socket.on('error', () => undefined);
  }

  async bind(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.bind(0, this.opts.bind ?? '0.0.0.0', () => resolve()));
  }

  get localPort(): number {
    return this.socket.address().port;
  }

  private key(): Buffer {
    return longTermKey(this.opts.username, this.realm, this.opts.password);
  }

  /** An authenticated request, with the 401/438 dance of RFC 8489 §9.2.5. */
  async request(method: number, attrs: StunAttribute[], peers: { address: string; port: number }[] = []): Promise<StunMessage> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const auth: StunAttribute[] = this.nonce
        ? [
            { type: Attr.Username, value: encodeText(this.opts.username) },
            { type: Attr.Realm, value: encodeText(this.realm) },
            { type: Attr.Nonce, value: encodeText(this.nonce) },
          ]
        : [];
      const req = buildRequest(method, attrs);
      // XOR-PEER-ADDRESS is keyed by this request's own transaction id.
      for (const p of peers) req.attributes.push({ type: Attr.XorPeerAddress, value: encodeXorAddress({ family: 'IPv4', ...p }, req.transactionId) });
      req.attributes.push(...auth);
      const { response, rttMs } = await stunTransaction(this.socket, this.opts.server, req, { ...this.opts.transaction, ...(this.nonce ? { key: this.key() } : {}) });
      if (this.firstRttMs === 0) this.firstRttMs = rttMs;
      if (response.cls === StunClass.SuccessResponse) return response;
      const ec = getAttribute(response, Attr.ErrorCode);
      const err = ec ? decodeErrorCode(ec) : { code: 0, reason: 'error response without ERROR-CODE' };
      const firstChallenge = err.code === ErrorCodes.Unauthorized && !this.nonce;
      if (firstChallenge) this.challenged = true;
      if (firstChallenge || err.code === ErrorCodes.StaleNonce) {
        const realm = getAttribute(response, Attr.Realm);
        const nonce = getAttribute(response, Attr.Nonce);
        if (realm) this.realm = decodeText(realm);
        if (nonce) this.nonce = decodeText(nonce);
        continue;
      }
      throw new TurnError(err.code, err.reason, method.toString(16));
    }
    throw new TurnError(ErrorCodes.Unauthorized, 'authentication did not complete', method.toString(16));
  }

  async allocate(extra: StunAttribute[] = []): Promise<TransportAddress> {
    const res = await this.request(Method.Allocate, [{ type: Attr.RequestedTransport, value: encodeRequestedTransport(17) }, ...extra]);
    const relayed = getAttribute(res, Attr.XorRelayedAddress);
    const mapped = getAttribute(res, Attr.XorMappedAddress);
    const lt = getAttribute(res, Attr.Lifetime);
    if (!relayed) throw new TurnError(0, 'no XOR-RELAYED-ADDRESS', 'allocate');
    this.relayed = decodeXorAddress(relayed, res.transactionId);
    if (mapped) this.mapped = decodeXorAddress(mapped, res.transactionId);
    this.lifetime = lt ? decodeLifetime(lt) : 0;
    return this.relayed;
  }

  async refresh(lifetime: number): Promise<number> {
    const res = await this.request(Method.Refresh, [{ type: Attr.Lifetime, value: encodeLifetime(lifetime) }]);
    const lt = getAttribute(res, Attr.Lifetime);
    this.lifetime = lt ? decodeLifetime(lt) : lifetime;
    return this.lifetime;
  }

  /** Permissions are per IP; the port is carried but ignored by the server. */
  async createPermission(...peers: { address: string; port?: number }[]): Promise<void> {
    await this.request(Method.CreatePermission, [], peers.map((p) => ({ address: p.address, port: p.port ?? 1 })));
  }

  async channelBind(channel: number, peer: { address: string; port: number }): Promise<void> {
    await this.request(Method.ChannelBind, [{ type: Attr.ChannelNumber, value: encodeChannelNumber(channel) }], [peer]);
    this.channels.set(channel, peer);
  }

  send(peer: { address: string; port: number }, data: Buffer): void {
    const ind = buildIndication(Method.Send, []);
    ind.attributes.push({ type: Attr.XorPeerAddress, value: encodeXorAddress({ family: 'IPv4', ...peer }, ind.transactionId) }, { type: Attr.Data, value: data });
    this.socket.send(encodeMessage(ind), this.opts.server.port, this.opts.server.address);
  }

  sendChannel(channel: number, data: Buffer): void {
    this.socket.send(encodeChannelData(channel, data), this.opts.server.port, this.opts.server.address);
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      /* closed */
    }
  }

  private onMessage(buf: Buffer, rinfo: RemoteInfo): void {
    if (rinfo.port !== this.opts.server.port) return;
    try {
      if (isChannelData(buf, { rfc5766Range: true })) {
        const { channel, data } = decodeChannelData(buf, { rfc5766Range: true });
        const peer = this.channels.get(channel);
        if (peer) this.emit('data', data, peer);
        return;
      }
      if (!isStunMessage(buf)) return;
      const msg = decodeMessage(buf);
      if (msg.cls === StunClass.Indication && msg.method === Method.Data) {
        const p = getAttribute(msg, Attr.XorPeerAddress);
        const d = getAttribute(msg, Attr.Data);
        if (p && d) {
          const a = decodeXorAddress(p, msg.transactionId);
          this.emit('data', d, { address: a.address, port: a.port });
        }
      }
    } catch {
      /* not for us */
    }
  }
}

