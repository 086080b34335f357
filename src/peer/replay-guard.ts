/**
 * Replayed offers and answers (#8 item 9). A signed description stays valid for
 * MAX_DESCRIPTION_AGE_MS, and anyone on the signalling path (plain ws://) can
 * send it again: an old offer, replayed, used to replace a live session. This
 * guard remembers every description signature accepted within that window and
 * which pair each session id belongs to, so that a replay, or a session id
 * reused for another pair, is refused before it touches any session. Memory is
 * bounded: past MAX_REMEMBERED entries the oldest is forgotten and its
 * timestamp becomes a floor below which every description is refused, so
 * forgetting never lets a replay through. Pure; tested beside this file.
 */
import { MAX_DESCRIPTION_AGE_MS } from '../identity/signed-description.js';

/**
 * Signatures and session ids remembered at most. Each entry is a verified
 * description addressed to us (~150 bytes), so this is < 1 MiB; a peer sees a
 * handful per session, and strangers' offers are rate-limited before this
 * (stranger-budget.ts), so honest offers never meet the floor it raises.
 */
export const MAX_REMEMBERED = 4096;

export interface SeenDescription {
  kind: 'offer' | 'answer';
  sessionId: string;
  ts: number;
  signature: string;
}

export type GuardResult = { ok: true } | { ok: false; reason: string };

export class ReplayGuard {
  /** signature -> ts, in arrival order. */
  private readonly signatures = new Map<string, number>();
  /** session id -> the peer it was set up with (and when), in arrival order. */
  private readonly owners = new Map<string, { peerId: string; ts: number }>();
  /** Descriptions at or below this ts are refused: newer entries pushed older ones out. */
  private floor = -Infinity;
  private readonly max: number;
  private readonly windowMs: number;

  constructor(max = MAX_REMEMBERED, windowMs = MAX_DESCRIPTION_AGE_MS) {
    this.max = max;
    this.windowMs = windowMs;
  }

  get size(): number {
    return this.signatures.size + this.owners.size;
  }

  /**
   * May this (already verified) description from `peerId` be used? An offer must
   * bring a session id never seen with any pair; an answer must be for a session
   * id we set up with that same peer. Neither may be a signature seen before.
   */
  check(d: SeenDescription, peerId: string, now = Date.now()): GuardResult {
    this.prune(now);
    if (this.signatures.has(d.signature)) return { ok: false, reason: `replayed ${d.kind} (signature already seen)` };
    if (d.ts <= this.floor) return { ok: false, reason: `${d.kind} older than the replay cache remembers (ts ${d.ts}); replayed?` };
    const owner = this.owners.get(d.sessionId);
    if (d.kind === 'offer' && owner) {
      return { ok: false, reason: owner.peerId === peerId ? 'offer reuses an earlier session id (replayed?)' : 'offer reuses a session id of another pair' };
    }
    if (d.kind === 'answer' && owner && owner.peerId !== peerId) return { ok: false, reason: 'answer for a session id of another pair' };
    return { ok: true };
  }

  /** Remember an accepted description (and, for an offer, its session id's pair). */
  record(d: SeenDescription, peerId: string, now = Date.now()): void {
    this.remember(this.signatures, d.signature, d.ts);
    if (!this.owners.has(d.sessionId)) this.claim(d.sessionId, peerId, now);
  }

  /** A session id we set up ourselves (as offerer) with `peerId`. */
  claim(sessionId: string, peerId: string, now = Date.now()): void {
    this.remember(this.owners, sessionId, { peerId, ts: now });
  }

  /** Past `max`, the oldest entry goes; a forgotten signature's ts becomes the floor (forgetting a session id's pair needs none: its offer's signature guards it). */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value);
    while (map.size > this.max) {
      const [oldKey, oldValue] = map.entries().next().value as [string, V];
      map.delete(oldKey);
      if (typeof oldValue === 'number') this.floor = Math.max(this.floor, oldValue);
    }
  }

  /** Forget entries past the window (arrival order is near enough ts order to stop at the first live one). */
  private prune(now: number): void {
    for (const [sig, ts] of this.signatures) {
      if (ts + this.windowMs >= now) break;
      this.signatures.delete(sig);
    }
    for (const [id, o] of this.owners) {
      if (o.ts + this.windowMs >= now) break;
      this.owners.delete(id);
    }
  }
}
