/**
 * Who may register: protocol version, the admission secret, proof of key
 * possession (a signature over the server's nonce) and the name rule: a name
 * held by an online peer with another key, or bound to another key in the
 * server's name book (./names: first come, first served, kept across restarts
 * and while the holder is offline), is refused. Pure: the server loop sends
 * the error or admits the peer.
 */
import { PROTOCOL_VERSION, registerChallenge, type PeerInfo, type RegisterMessage } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import { peerIdFromPublicKey, verifySignature } from '../src/identity/keys.js';
import type { Registered, Registry } from './registry.js';
import type { NameBinding } from './names.js';

/** The part of the name book a registration asks (./names NameBook). */
export interface NameBindings {
  conflict(name: string, peerId: string): NameBinding | undefined;
}

/** How a bound name is released, for the name-taken message. */
export interface NameRelease {
  /** The idle period in words, e.g. "30 days". */
  idle: string;
  /** The operator's command, e.g. `p2prc release-name --data-dir D`. */
  command: string;
}

/**
 * The peer a `register` message admits, or why it is refused.
 * `nonce` is the one this connection was sent in `hello`.
 */
export function checkRegister<C extends Registered>(
  msg: RegisterMessage,
  nonce: string,
  secret: string | undefined,
  registry: Registry<C>,
  names?: NameBindings,
  release: NameRelease = { idle: '30 days', command: 'p2prc release-name' },
): PeerInfo | P2prcError {
  if (msg.v !== PROTOCOL_VERSION) {
    return new P2prcError(ErrorCode.UnsupportedVersion, `protocol v${msg.v} not supported; this server speaks v${PROTOCOL_VERSION}`);
  }
  if (secret !== undefined && msg.secret !== secret) {
    return new P2prcError(ErrorCode.BadSecret, msg.secret === undefined ? 'this server requires a secret (--secret or P2PRC_SECRET)' : 'wrong secret');
  }
  if (!verifySignature(msg.publicKey, registerChallenge(nonce, msg.name), msg.signature)) {
    return new P2prcError(ErrorCode.BadSignature, 'register signature does not verify: sign the server nonce with the key you present');
  }
  const peerId = peerIdFromPublicKey(Buffer.from(msg.publicKey, 'base64'));
  const holder = registry.nameHolder(msg.name, peerId);
  if (holder) {
    return new P2prcError(ErrorCode.NameTaken, `name "${msg.name}" is held by online peer ${holder.peerId} with another key`);
  }
  const bound = names?.conflict(msg.name, peerId);
  if (bound) {
    return new P2prcError(
      ErrorCode.NameTaken,
      `name "${msg.name}" is bound to peer ${bound.peerId} (another key; last online ${new Date(bound.lastSeen).toISOString()}); ` +
        `it is released after ${release.idle} offline, or by the server operator (${release.command} ${msg.name})`,
    );
  }
  return { peerId, name: msg.name, publicKey: msg.publicKey };
}
