/**
 * How a load client talks to a signal server, one interface for both servers
 * the signal-scale bench compares, and ours behind it (the real register flow:
 * `hello`, `register` signed with a fresh Ed25519 key, `registered`; then
 * `signal` messages to another peer id). PeerJS's side is peerjs-wire.ts.
 *
 * Both servers relay the same payload, an offer with a data-channel SDP as
 * node-datachannel writes it, in the shape our protocol checks; its `ts` is the
 * send time (µs of the sender's performance.now()), read back by the receiver
 * in the same process.
 */
import { WebSocket } from 'ws';
import { Identity } from '../src/identity/keys.js';
import { PROTOCOL_VERSION, registerChallenge } from '../src/protocol/messages.js';

export type ServerKind = 'ours' | 'peerjs';

export interface WireHandlers {
  /** A relayed bench signal arrived; `sentUs` is its send time. */
  onSignal(sentUs: number): void;
  /** Any other frame after registration (an error, a pong): its type and text. */
  onOther(type: string, text: string): void;
}

export interface WirePeer {
  /** What other peers send to (ours: the peer id; PeerJS: the id it connected with). */
  readonly address: string;
  readonly ws: WebSocket;
  /** Bytes of every frame the server sent it, from the first, but the answers to its keepalives. */
  bytes: number;
  /** Send one bench signal to `to`, stamped `sentUs`. */
  signal(to: string, sentUs: number): void;
  /** The protocol's keepalive message (ours `ping`, PeerJS `HEARTBEAT`). */
  keepalive(): void;
}

export interface Wire {
  readonly kind: ServerKind;
  /** How often a real client of this server sends its keepalive (the load clients do the same). */
  readonly keepaliveMs: number;
  /** Connect from `localAddress` and register `name`; resolves once the server accepted it. */
  connect(url: string, name: string, localAddress: string, h: WireHandlers, timeoutMs: number): Promise<WirePeer>;
}

/** A data-channel offer as node-datachannel writes it (~550 bytes). */
const SDP = [
  'v=0',
  'o=rtc 2835183375 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=group:LS 0',
  'a=msid-semantic:WMS *',
  'a=ice-options:ice2,trickle',
  'a=fingerprint:sha-256 3C:5B:21:9F:0A:7E:44:D1:9B:62:08:C3:5F:AE:11:70:2D:93:B8:4E:06:CA:71:5D:E2:39:8F:14:A6:C0:57:BB',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  'a=setup:actpass',
  'a=ice-ufrag:Qx7b',
  'a=ice-pwd:V1mH3kq9ZpR2xW8cT5nL0s',
  '',
].join('\r\n');
/** 64 bytes, base64: the shape of a signature (the server checks the shape; the peer checks the signature). */
const SIGNATURE = Buffer.alloc(64, 7).toString('base64');

/** The payload's JSON up to its `ts` value, and after it: the message is these around the number. */
export function payloadParts(sessionId: string): [string, string] {
  const head = JSON.stringify({ kind: 'offer', sessionId, sdp: SDP, ts: 0, signature: SIGNATURE });
  const at = head.indexOf('"ts":0') + 5;
  return [head.slice(0, at), head.slice(at + 1)];
}

/** The `ts` of a relayed bench signal's text (NaN if there is none). */
export function sentUsOf(text: string): number {
  const i = text.indexOf('"ts":');
  return i < 0 ? NaN : parseInt(text.slice(i + 5, i + 25), 10);
}

/** Frames from the server as text, counted in `peer.bytes`. */
function text(data: WebSocket.RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString() : data.toString();
}

const OUR_SIGNAL = '{"type":"signal"';
const OUR_PONG = '{"type":"pong"';

export const oursWire: Wire = {
  kind: 'ours',
  // src/peer/signal-ping.ts PING_INTERVAL_MS (the server also pings every connection every 15 s).
  keepaliveMs: 20_000,
  connect(url, name, localAddress, h, timeoutMs) {
    const id = Identity.generate();
    const ws = new WebSocket(url, { localAddress, perMessageDeflate: false });
    const [head, tail] = payloadParts(`bench-${id.peerId.slice(0, 16)}`);
    let pings = 0;
    const peer: WirePeer = {
      address: id.peerId,
      ws,
      bytes: 0,
      signal: (to, sentUs) => ws.send(`{"type":"signal","to":"${to}","payload":${head}${sentUs}${tail}}`),
      keepalive: () => ws.send(`{"type":"ping","id":${++pings}}`),
    };
    return new Promise((resolve, reject) => {
      let registered = false;
      const t = setTimeout(() => (ws.terminate(), reject(new Error(`${name}: not registered within ${timeoutMs} ms`))), timeoutMs);
      ws.on('error', (err) => (registered ? h.onOther('socket-error', err.message) : (clearTimeout(t), reject(err))));
      ws.on('close', (code) => (registered ? h.onOther('close', String(code)) : (clearTimeout(t), reject(new Error(`${name}: closed (${code}) before registered`)))));
      ws.on('message', (data) => {
        const s = text(data);
        if (s.startsWith(OUR_PONG)) return h.onOther('pong', s); // the keepalive's answer: not part of what a join costs
        peer.bytes += s.length;
        if (registered) {
          if (s.startsWith(OUR_SIGNAL)) h.onSignal(sentUsOf(s));
          else h.onOther((JSON.parse(s) as { type: string }).type, s);
          return;
        }
        const m = JSON.parse(s) as { type: string; nonce?: string; ref?: string; code?: string; message?: string };
        if (m.type === 'hello') ws.send(JSON.stringify({ type: 'register', v: PROTOCOL_VERSION, name, publicKey: id.publicKey, signature: id.sign(registerChallenge(m.nonce!, name)) }));
        else if (m.type === 'registered') {
          registered = true;
          clearTimeout(t);
          resolve(peer);
        } else if (m.type === 'error') {
          clearTimeout(t);
          ws.terminate();
          reject(new Error(`${name}: ${m.code} ${m.message}`));
        }
      });
    });
  },
};

/** Peers per loopback source address (like peers behind many IPs; below our default per-IP caps, 256 and a burst of 60). */
export const PER_ADDRESS = 50;

/** The source address of the i-th peer: 127.(10 + a / 250).(a % 250 + 1).1 for a = i / PER_ADDRESS, away from the tests' addresses. */
export function addressOf(i: number): string {
  const a = Math.floor(i / PER_ADDRESS);
  return `127.${10 + Math.floor(a / 250)}.${(a % 250) + 1}.1`;
}

/** A 63-character name, the longest allowed (the case that once broke registration). */
export const nameOf = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(6, '0')}-`.padEnd(63, 'x');
