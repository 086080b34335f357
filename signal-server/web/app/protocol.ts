/**
 * The browser's side of the p2prc protocol (pure): the bytes a peer signs (the
 * register challenge and the signed offer/answer), the check of a peer's
 * description, the tunnel's control frames, and candidate helpers. These are
 * the Node peer's rules (src/protocol/codec.ts registerChallenge,
 * src/identity/signed-description.ts, src/tunnel/frames.ts, src/peer/ice.ts)
 * written again for the browser, which cannot load those modules (they use
 * Node's Buffer and crypto); the browser suite checks both sides against each
 * other: a Node peer verifies what the page signs and the page what it signs.
 */
import { fromBase64, utf8 } from './bytes.js';
import type { Ed25519 } from './identity.js';

export const PROTOCOL_VERSION = 1;
export const MAX_DESCRIPTION_AGE_MS = 10 * 60 * 1000;
export const TUNNEL_PROTOCOL = 'p2prc-tunnel/1';
export const CONTROL_LABEL = 'p2prc-ctl';

export interface PeerInfo {
  peerId: string;
  name: string;
  publicKey: string;
  nat?: { natted: boolean; mapping: string; filtering: string };
  services?: { name: string; type: 'tcp' | 'udp' }[];
}

export interface DescriptionPayload {
  kind: 'offer' | 'answer';
  sessionId: string;
  sdp: string;
  ts: number;
  signature: string;
  relayOnly?: boolean;
}

export function registerChallenge(nonce: string, name: string): Uint8Array {
  return utf8.encode(`p2prc-register/v${PROTOCOL_VERSION}\n${nonce}\n${name}`);
}

/** The bytes of a description's signature (signed-description.ts canonicalDescription). */
export function canonicalDescription(d: { kind: string; sessionId: string; from: string; to: string; sdp: string; ts: number; relayOnly?: boolean }): Uint8Array {
  const sdpBytes = utf8.encode(d.sdp).length;
  return utf8.encode(`p2prc-sdp/v2\n${d.kind}\n${d.sessionId}\n${d.from}\n${d.to}\n${d.ts}\nrelay-only:${d.relayOnly ? 1 : 0}\n${sdpBytes}\n${d.sdp}`);
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * A peer's description, checked as the Node peer checks it: the key is the one
 * its peer id names, the signature covers what arrived, and it is fresh.
 */
export async function verifyDescription(ed: Ed25519, p: DescriptionPayload, from: PeerInfo, to: string, idOf: (raw: Uint8Array) => Promise<string>, now = Date.now()): Promise<VerifyResult> {
  const raw = fromBase64(from.publicKey);
  if (raw.length !== 32 || (await idOf(raw)) !== from.peerId) {
    return { ok: false, reason: `${from.peerId}'s key does not match its peer id: the signal server sent another key` };
  }
  const data = canonicalDescription({ kind: p.kind, sessionId: p.sessionId, from: from.peerId, to, sdp: p.sdp, ts: p.ts, relayOnly: p.relayOnly === true });
  const sig = fromBase64(p.signature);
  if (sig.length !== 64 || !(await ed.verify(raw, data, sig))) {
    return { ok: false, reason: `${p.kind} signature does not verify against ${from.peerId}'s key: the SDP was altered in transit (DTLS fingerprint swap?) or signed by another key` };
  }
  if (Math.abs(now - p.ts) > MAX_DESCRIPTION_AGE_MS) return { ok: false, reason: `${p.kind} is stale (ts ${p.ts}); replayed?` };
  return { ok: true };
}

/** Our offer with the DTLS client role taken (src/peer/ice.ts dtlsClientOffer): the Node answerer becomes the DTLS server. */
export function dtlsClientOffer(sdp: string): string {
  return sdp.replace(/^a=setup:actpass(\r?)$/gm, 'a=setup:active$1');
}

/** An SDP without its non-relay candidates (a relay-only session). */
export function relayOnlySdp(sdp: string): string {
  return sdp
    .split(/(?<=\n)/)
    .filter((l) => !/^a=candidate:/.test(l) || candidateType(l) === 'relay')
    .join('');
}

export function candidateType(line: string): string | undefined {
  return /\btyp\s+([a-z]+)/i.exec(line)?.[1]?.toLowerCase();
}

/**
 * Whether a candidate of ours is worth sending: not an mDNS host name (`<uuid>.local`,
 * what Chromium puts in place of its host addresses), which the Node peer's ICE
 * cannot resolve; it learns our address from our checks instead (peer-reflexive).
 */
export function sendableCandidate(line: string, relayOnly: boolean): boolean {
  const m = /^(?:a=)?candidate:\S+\s+\d+\s+\S+\s+\d+\s+(\S+)\s+\d+\s+typ\s+(\S+)/i.exec(line.trim());
  if (!m) return false;
  if (relayOnly && m[2]!.toLowerCase() !== 'relay') return false;
  return !m[1]!.toLowerCase().endsWith('.local');
}

// ---- tunnel control frames (src/tunnel/frames.ts) ----
export type Frame =
  | { t: 'credit'; n: number }
  | { t: 'fin' }
  | { t: 'done' }
  | { t: 'rst'; reason?: string }
  | { t: 'err'; code: string; message: string };

export function decodeFrame(text: string): Frame | undefined {
  if (text.length > 4096) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Record<string, unknown>;
  switch (f.t) {
    case 'credit':
      return typeof f.n === 'number' && Number.isInteger(f.n) && f.n > 0 && f.n <= 2 ** 32 ? { t: 'credit', n: f.n } : undefined;
    case 'fin':
    case 'done':
      return { t: f.t };
    case 'rst':
      return { t: 'rst', ...(typeof f.reason === 'string' ? { reason: f.reason.slice(0, 512) } : {}) };
    case 'err':
      return typeof f.code === 'string' && typeof f.message === 'string' ? { t: 'err', code: f.code.slice(0, 64), message: f.message.slice(0, 1024) } : undefined;
    default:
      return undefined;
  }
}

export function encodeFrame(f: Frame): string {
  return JSON.stringify(f);
}
