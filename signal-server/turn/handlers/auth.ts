/**
 * TURN request authentication: long-term credentials (RFC 8489 §9.2) with the
 * "TURN REST API" usernames `expiry:peerId` that coturn's `use-auth-secret`
 * uses, stateless nonces (./nonce), and the 401 / 438 / 400 answers.
 */
import {
  Attr,
  ErrorCodes,
  buildError,
  decodeText,
  encodeText,
  getAttribute,
  longTermKey,
  parseRestUsername,
  restPassword,
  verifyMessageIntegrity,
  type StunMessage,
} from '../../../src/stun/index.js';
import type { Endpoint } from '../allocation.js';
import type { TurnContext } from '../context.js';

/** Who an authenticated request comes from: its long-term key, REST username and the peer id in it. */
export interface Credentials {
  key: Buffer;
  username: string;
  user: string;
}

/**
 * Long-term credentials (RFC 8489 §9.2) with REST usernames `expiry:peerId`.
 * Sends the error itself and returns undefined when the request is refused.
 */
export function authenticate(ctx: TurnContext, msg: StunMessage, raw: Buffer, client: Endpoint): Credentials | undefined {
  const clientId = `${client.address}:${client.port}`;
  const challenge = (code: number, reason: string): undefined => {
    ctx.reply(client, buildError(msg, code, reason, [
      { type: Attr.Realm, value: encodeText(ctx.opts.realm) },
      { type: Attr.Nonce, value: encodeText(ctx.nonces.issue(clientId)) },
    ]));
    return undefined;
  };
  const mi = getAttribute(msg, Attr.MessageIntegrity);
  if (!mi) return challenge(ErrorCodes.Unauthorized, 'Unauthorized');
  const usernameRaw = getAttribute(msg, Attr.Username);
  const realmRaw = getAttribute(msg, Attr.Realm);
  const nonceRaw = getAttribute(msg, Attr.Nonce);
  if (!usernameRaw || !realmRaw || !nonceRaw) {
    ctx.reply(client, buildError(msg, ErrorCodes.BadRequest, 'USERNAME, REALM and NONCE are required with MESSAGE-INTEGRITY'));
    return undefined;
  }
  const username = decodeText(usernameRaw);
  const realm = decodeText(realmRaw);
  const nonce = decodeText(nonceRaw);
  const nonceState = ctx.nonces.check(nonce, clientId);
  if (nonceState !== 'ok' || realm !== ctx.opts.realm) {
    return challenge(ErrorCodes.StaleNonce, nonceState === 'stale' ? 'Stale Nonce' : 'Stale Nonce (unknown nonce or realm)');
  }
  const parsed = parseRestUsername(username);
  if (!parsed) {
    ctx.log.warn('TURN request refused: username is not expiry:user', { client: clientId, username: username.slice(0, 64) });
    return challenge(ErrorCodes.Unauthorized, 'Unauthorized: username must be <expiry>:<user>');
  }
  if (parsed.expiry * 1000 <= Date.now()) {
    ctx.log.warn('TURN request refused: expired credentials', { client: clientId, username });
    return challenge(ErrorCodes.Unauthorized, 'Unauthorized: credentials expired');
  }
  const key = longTermKey(username, ctx.opts.realm, restPassword(ctx.opts.secret, username));
  if (!verifyMessageIntegrity(raw, key)) {
    ctx.log.warn('TURN request refused: wrong credentials', { client: clientId, username });
    return challenge(ErrorCodes.Unauthorized, 'Unauthorized: wrong credentials');
  }
  return { key, username, user: parsed.user };
}
