/**
 * Who may register: protocol version, the admission secret, proof of key
 * possession (a signature over the server's nonce) and the name rule (a name
 * held by an online peer with another key is refused). Pure: the server loop
 * sends the error or admits the peer.
 */
import { PROTOCOL_VERSION, registerChallenge, type PeerInfo, type RegisterMessage } from '../src/protocol/messages.js';
import { ErrorCode, P2prcError } from '../src/protocol/errors.js';
import { peerIdFromPublicKey, verifySignature } from '../src/identity/keys.js';
import type { Registry } from './registry.js';

/**
 * The peer a `register` message admits, or why it is refused.
 * `nonce` is the one this connection was sent in `hello`.
 */
export function checkRegister<C>(msg: RegisterMessage, nonce: string, secret: string | undefined, registry: Registry<C>): PeerInfo | P2prcError {
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
  return { peerId, name: msg.name, publicKey: msg.publicKey };
}
