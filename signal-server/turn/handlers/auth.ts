/**
 * TURN request authentication: long-term credentials (RFC 8489 §9.2) with the
 * "TURN REST API" usernames `expiry:peerId` that coturn's `use-auth-secret`
 * uses, stateless nonces (./nonce), and the 401 / 438 / 400 answers.
 */
import {
  Attr,
  ErrorCodes,
  Method,
  decodeLifetime,
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
import type { Client } from '../allocation.js';
import type { TurnContext } from '../context.js';
import { ownerRefusal } from '../owner-gate.js';

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
export function authenticate(ctx: TurnContext, msg: StunMessage, raw: Buffer, client: Client): Credentials | undefined {
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

/**
 * Refuses (403, logged) a request whose credentials belong to a peer that is no
 * longer on the signal server (../owner-gate). A deallocation (Refresh with
 * lifetime 0) still goes through: it only gives resources back.
 */
export function ownerGone(ctx: TurnContext, msg: StunMessage, client: Client, cred: Credentials): boolean {
  const reason = ownerRefusal(cred.user, ctx.opts.ownerOnline);
  if (!reason) return false;
  if (msg.method === Method.Refresh) {
    const lt = getAttribute(msg, Attr.Lifetime);
    if (lt && decodeLifetime(lt) === 0) return false;
  }
  ctx.log.warn('TURN request refused (403): owner offline', { client: `${client.address}:${client.port}`, user: cred.user, reason });
  // The reason phrase must stay under 128 characters (RFC 8489 §14.8); the log has the whole reason.
  ctx.replyAuth(client, cred.key, buildError(msg, ErrorCodes.Forbidden, 'Forbidden: peer not online on the signal server'));
  return true;
}
