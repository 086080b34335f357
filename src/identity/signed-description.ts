/**
 * End-to-end authentication of SDP offers and answers (pure, no I/O).
 *
 * The SDP carries the DTLS certificate fingerprint, and libdatachannel checks
 * the DTLS handshake against it. Signing the SDP with the sender's identity key
 * therefore binds the encrypted channel to that identity: a signalling server
 * that swaps the fingerprint (to sit in the middle) cannot re-sign, and the
 * receiver refuses the description.
 */
import type { DescriptionPayload } from '../protocol/messages.js';
import { verifySignature, type Identity } from './keys.js';

/** Accept descriptions up to this old (clock skew + queueing on the server). */
export const MAX_DESCRIPTION_AGE_MS = 10 * 60 * 1000;

export interface DescriptionFields {
  kind: 'offer' | 'answer';
  sessionId: string;
  from: string;
  to: string;
  sdp: string;
  ts: number;
  /** The sender asks for a relay-only session (--force-relay). */
  relayOnly?: boolean;
}

/**
 * The exact bytes that are signed: every field, each on its own line, length-prefixed
 * SDP. The session id is signed with both peer ids, so it is bound to the pair; v2
 * adds the relay-only flag (a path attacker must not be able to drop it).
 */
export function canonicalDescription(d: DescriptionFields): Buffer {
  return Buffer.from(
    `p2prc-sdp/v2\n${d.kind}\n${d.sessionId}\n${d.from}\n${d.to}\n${d.ts}\nrelay-only:${d.relayOnly ? 1 : 0}\n${Buffer.byteLength(d.sdp)}\n${d.sdp}`,
    'utf8',
  );
}

export function signDescription(identity: Identity, d: Omit<DescriptionFields, 'from'>): DescriptionPayload {
  const fields: DescriptionFields = { ...d, from: identity.peerId };
  return {
    kind: d.kind,
    sessionId: d.sessionId,
    sdp: d.sdp,
    ts: d.ts,
    signature: identity.sign(canonicalDescription(fields)),
    ...(d.relayOnly ? { relayOnly: true } : {}),
  };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

export function verifyDescription(
  payload: DescriptionPayload,
  from: { peerId: string; publicKey: string },
  to: string,
  now = Date.now(),
): VerifyResult {
  const fields: DescriptionFields = {
    kind: payload.kind,
    sessionId: payload.sessionId,
    from: from.peerId,
    to,
    sdp: payload.sdp,
    ts: payload.ts,
    relayOnly: payload.relayOnly === true,
  };
  if (!verifySignature(from.publicKey, canonicalDescription(fields), payload.signature)) {
    return { ok: false, reason: `${payload.kind} signature does not verify against ${from.peerId}'s key: the SDP was altered in transit (DTLS fingerprint swap?) or signed by another key` };
  }
  if (Math.abs(now - payload.ts) > MAX_DESCRIPTION_AGE_MS) {
    return { ok: false, reason: `${payload.kind} is stale (ts ${payload.ts}); replayed?` };
  }
  return { ok: true };
}

/** The DTLS fingerprint line of an SDP, for error messages and tests. */
export function sdpFingerprint(sdp: string): string | undefined {
  return /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim();
}
