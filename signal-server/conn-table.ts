/**
 * The server's open connections, in heartbeat slots. Each connection is pinged
 * once per HEARTBEAT_MS, but in one of HEARTBEAT_SLOTS slots (by id), a slot a
 * tick: at 10,000 peers, all pings at once held the loop ~200 ms and one slot a
 * second still ~15 ms, both in a signal's p99 latency (#9); a tick now pings
 * ~70 (~1.5 ms). A connection that missed two pings is dropped.
 */
import { heartbeat, type Conn } from './connection.js';

/** WebSocket ping interval; a peer that misses two is dropped (and others told it left). */
export const HEARTBEAT_MS = 15_000;
export const HEARTBEAT_SLOTS = 150;
/** How often `tick` should run. */
export const TICK_MS = HEARTBEAT_MS / HEARTBEAT_SLOTS;

export class ConnTable {
  private readonly slots: Set<Conn>[] = Array.from({ length: HEARTBEAT_SLOTS }, () => new Set<Conn>());
  private ticks = 0;

  add(conn: Conn): void {
    this.slots[conn.id % HEARTBEAT_SLOTS]!.add(conn);
  }

  /** Forget `conn`; false when it was not here (already closed). */
  delete(conn: Conn): boolean {
    return this.slots[conn.id % HEARTBEAT_SLOTS]!.delete(conn);
  }

  /**
   * Ping the next slot's connections and drop those that missed the last ping;
   * `everyRound` runs once per full round (every HEARTBEAT_MS).
   */
  tick(drop: (c: Conn) => void, everyRound: () => void): void {
    const index = this.ticks++ % HEARTBEAT_SLOTS;
    if (index === 0) everyRound();
    heartbeat(this.slots[index]!, drop);
  }

  /** Every open connection, then none. */
  drain(): Conn[] {
    const all = this.slots.flatMap((s) => [...s]);
    for (const s of this.slots) s.clear();
    return all;
  }
}
