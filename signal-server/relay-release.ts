/**
 * A peer's relay allocations outlive its signalling connection by a grace
 * period, so a peer that reconnects (a restart, a network change) keeps them;
 * one that stays away has them freed, and its credentials stop working
 * (TurnServerOptions.ownerOnline asks pending()).
 */

/** How long allocations outlive the signalling connection (a reconnect keeps them). */
export const RELAY_RELEASE_GRACE_MS = 5000;

export class RelayRelease {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly release: (peerId: string) => void,
    private readonly graceMs = RELAY_RELEASE_GRACE_MS,
  ) {}

  /** The peer left: free its allocations after the grace period. */
  schedule(peerId: string): void {
    this.cancel(peerId);
    const t = setTimeout(() => {
      this.timers.delete(peerId);
      this.release(peerId);
    }, this.graceMs);
    t.unref();
    this.timers.set(peerId, t);
  }

  /** Whether `peerId` left less than the grace period ago (its relay credentials still work). */
  pending(peerId: string): boolean {
    return this.timers.has(peerId);
  }

  /** The peer is back: keep its allocations. */
  cancel(peerId: string): void {
    const t = this.timers.get(peerId);
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(peerId);
  }

  clear(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
