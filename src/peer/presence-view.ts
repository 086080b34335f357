/**
 * A peer's view of presence (#8 item 2): the peers it looked up or signalled
 * with, not everyone online. The server tells a peer about those only (a
 * subscription per target), so this view is what the peer knows; the targets
 * are kept so that they are subscribed again after a reconnect. Pure state: the
 * signal client feeds it server messages and emits what it returns.
 */
import { PeerIdSchema, type PeerInfo } from '../protocol/messages.js';

/**
 * Targets kept for re-subscription, the least recently used dropped beyond it:
 * the server's own bound per connection (signal-server/watches.ts).
 */
export const MAX_WATCHED = 1024;

export class PresenceView {
  /** Peers known online, by id. */
  private readonly online = new Map<string, PeerInfo>();
  /** Names and ids we are subscribed to, oldest first. */
  private readonly watched = new Set<string>();

  constructor(private readonly max = MAX_WATCHED) {}

  /** Remember `target` (a name or a peer id) to subscribe to it again after a reconnect. */
  watch(target: string): void {
    this.watched.delete(target);
    this.watched.add(target);
    if (this.watched.size <= this.max) return;
    const old = this.watched.values().next().value as string;
    this.watched.delete(old);
    // No longer subscribed: what we knew of it would go stale.
    const p = PeerIdSchema.safeParse(old).success ? this.online.get(old) : this.byName(old);
    if (p && !this.watched.has(p.peerId) && !this.watched.has(p.name)) this.online.delete(p.peerId);
  }

  /** A new registration: what we knew may be stale (the server may have restarted); the targets stay, to subscribe again. */
  reset(): void {
    this.online.clear();
  }

  targets(): string[] {
    return [...this.watched];
  }

  peers(): PeerInfo[] {
    return [...this.online.values()];
  }
  byId(peerId: string): PeerInfo | undefined {
    return this.online.get(peerId);
  }
  byName(name: string): PeerInfo | undefined {
    for (const p of this.online.values()) if (p.name === name) return p;
    return undefined;
  }

  /** A `presence` message: returns the event to emit (an update is not one). */
  presence(event: 'join' | 'leave' | 'update', peer: PeerInfo): 'join' | 'leave' | undefined {
    if (event === 'leave') {
      this.online.delete(peer.peerId);
      return 'leave';
    }
    this.forgetName(peer);
    this.online.set(peer.peerId, peer);
    return event === 'join' ? 'join' : undefined;
  }

  /** A `lookup` answer: the peers newly known online (to emit as joins). Offline targets are forgotten. */
  lookup(results: { target: string; peer?: PeerInfo }[]): PeerInfo[] {
    const joined: PeerInfo[] = [];
    for (const { target, peer } of results) {
      if (peer) {
        if (!this.online.has(peer.peerId)) joined.push(peer);
        this.forgetName(peer);
        this.online.set(peer.peerId, peer);
      } else if (PeerIdSchema.safeParse(target).success) {
        this.online.delete(target);
      } else {
        const p = this.byName(target);
        if (p) this.online.delete(p.peerId);
      }
    }
    return joined;
  }

  /** A peer signalled us: it is online, and the server subscribed us to it. */
  signalFrom(peer: PeerInfo): void {
    this.watch(peer.peerId);
    this.forgetName(peer);
    this.online.set(peer.peerId, peer);
  }

  /** A name moves to another peer id: the old holder is not that name any more. */
  private forgetName(peer: PeerInfo): void {
    for (const p of this.online.values()) if (p.name === peer.name && p.peerId !== peer.peerId) this.online.delete(p.peerId);
  }
}
