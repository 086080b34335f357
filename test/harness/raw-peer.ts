/**
 * A peer that speaks the signalling protocol over a raw WebSocket, for suites
 * that play attackers, crowds or squatters: connect, register a fresh identity
 * (signing the server's nonce), resolve once registered. The socket stays the
 * caller's to use and to close.
 */
import { WebSocket } from 'ws';
import { Identity } from '../../src/identity/keys.js';
import { PROTOCOL_VERSION, registerChallenge, type RegisteredMessage, type ServerMessage } from '../../src/protocol/messages.js';

export interface RawPeerOptions {
  /** Source address (127.0.0.0/8 is all ours: per-IP limits apply per address). */
  localAddress?: string;
  /** Bound on the registration. */
  timeoutMs?: number;
  /** Sees every frame from the server, from the first (`hello`) on. */
  onFrame?: (data: Buffer) => void;
}

export interface RawPeer {
  ws: WebSocket;
  identity: Identity;
  registered: RegisteredMessage;
}

/** Register `name` with a fresh key over a raw WebSocket; rejects on a refusal, a socket error or the timeout. */
export function registerRawPeer(url: string, name: string, o: RawPeerOptions = {}): Promise<RawPeer> {
  const identity = Identity.generate();
  const ws = new WebSocket(url, o.localAddress ? { localAddress: o.localAddress } : {});
  const timeoutMs = o.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${name}: not registered within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(t);
      reject(err);
    };
    ws.on('error', fail);
    ws.on('message', (d: Buffer) => {
      o.onFrame?.(d);
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.type === 'hello') ws.send(JSON.stringify({ type: 'register', v: PROTOCOL_VERSION, name, publicKey: identity.publicKey, signature: identity.sign(registerChallenge(m.nonce, name)) }));
      if (m.type === 'error' && m.ref === 'register') fail(new Error(`${name}: ${m.code} ${m.message}`));
      if (m.type === 'registered') {
        clearTimeout(t);
        ws.off('error', fail);
        ws.on('error', () => undefined); // later errors are the caller's business (a dropped attacker)
        resolve({ ws, identity, registered: m });
      }
    });
  });
}
