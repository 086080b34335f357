/**
 * Who wants to hear about whom: presence by subscription (#8 item 2). A join
 * used to be broadcast to every peer online, so each join cost O(n) bytes and a
 * crowd of free identities could make registration itself fail. Now a
 * connection watches only the peers it looked up (by name or id) or signalled
 * with, and a join, leave or update goes to those watchers only. Pure state, no
 * sockets: the server asks it who to tell.
 */

/**
 * Watches one connection may hold; beyond it the oldest is dropped (a peer that
 * signals with someone again refreshes that watch). Bounds the server's memory
 * per connection (~100 B a watch) whatever a client asks for.
 */
export const MAX_WATCHES_PER_CONN = 1024;

export class Watches<C> {
  /** Target (a peer id or a name) -> the connections watching it. */
  private readonly byTarget = new Map<string, Set<C>>();
  /** Connection -> its targets, oldest first (a Set keeps insertion order). */
  private readonly byWatcher = new Map<C, Set<string>>();

  constructor(private readonly max = MAX_WATCHES_PER_CONN) {}

  /** How many watches are held in all. */
  get size(): number {
    let n = 0;
    for (const s of this.byWatcher.values()) n += s.size;
    return n;
  }

  /** `watcher` hears about `target` (a peer id or a name) from now on; returns the watch dropped to make room, if any. */
  watch(watcher: C, target: string): string | undefined {
    let mine = this.byWatcher.get(watcher);
    if (!mine) this.byWatcher.set(watcher, (mine = new Set()));
    if (mine.delete(target)) {
      mine.add(target);
      return undefined;
    }
    let dropped: string | undefined;
    if (mine.size >= this.max) {
      dropped = mine.values().next().value as string;
      mine.delete(dropped);
      this.unlink(dropped, watcher);
    }
    mine.add(target);
    let set = this.byTarget.get(target);
    if (!set) this.byTarget.set(target, (set = new Set()));
    set.add(watcher);
    return dropped;
  }

  /** The connections watching any of `targets` (a peer's id and its name), each once. */
  watchers(targets: string[]): Set<C> {
    const out = new Set<C>();
    for (const t of targets) for (const c of this.byTarget.get(t) ?? []) out.add(c);
    return out;
  }

  /** Forget every watch `watcher` holds (its connection closed or was replaced). */
  drop(watcher: C): void {
    const mine = this.byWatcher.get(watcher);
    if (!mine) return;
    this.byWatcher.delete(watcher);
    for (const t of mine) this.unlink(t, watcher);
  }

  private unlink(target: string, watcher: C): void {
    const set = this.byTarget.get(target);
    if (!set) return;
    set.delete(watcher);
    if (set.size === 0) this.byTarget.delete(target);
  }
}
