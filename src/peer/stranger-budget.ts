/**
 * How many sessions this peer accepts from strangers per minute (#8 item 7).
 * Every answerer session costs a PeerConnection and a TURN allocation on the
 * relay for up to CONNECT_TIMEOUT_MS; twenty free identities each sending one
 * valid signed offer a second kept an exposer's relay quota full. A stranger
 * is a peer that has no connected session with us (a peer with a live session
 * that offers again, e.g. after a restart of its side, is not one). Offers past
 * the budget are refused before any session is made. Sliding one-minute window;
 * pure, tested beside this file.
 */

/**
 * Default sessions accepted from strangers per minute. Each holds a relay
 * allocation for at most the 15 s connect timeout, so 30/min keeps that to
 * about 8 allocations at a time, far below a relay's per-user quota, while a
 * busy exposer still takes a new connector every 2 s.
 */
export const STRANGER_SESSIONS_PER_MINUTE = 30;
export const BUDGET_WINDOW_MS = 60_000;

export class StrangerBudget {
  /** When each accepted stranger session started, oldest first (at most `perMinute`). */
  private readonly accepted: number[] = [];
  /** Refused since the last log line about it. */
  refusedSinceLog = 0;
  /** When each refusal the peer was told of went, oldest first (at most `perMinute`). */
  private readonly told: number[] = [];
  readonly perMinute: number;

  constructor(perMinute = STRANGER_SESSIONS_PER_MINUTE) {
    this.perMinute = perMinute;
  }

  /** Take one session from the budget: false when this minute's budget is spent. */
  take(now = Date.now()): boolean {
    while (this.accepted.length > 0 && this.accepted[0]! <= now - BUDGET_WINDOW_MS) this.accepted.shift();
    if (this.accepted.length >= this.perMinute) {
      this.refusedSinceLog++;
      return false;
    }
    this.accepted.push(now);
    return true;
  }

  /**
   * May a refused stranger be told so (a bye with a code)? As many refusals a
   * minute as the budget has sessions: an honest connector past the budget
   * learns at once why it cannot connect, and a flood cannot make this peer
   * spend its own signalling rate on replies.
   */
  tell(now = Date.now()): boolean {
    while (this.told.length > 0 && this.told[0]! <= now - BUDGET_WINDOW_MS) this.told.shift();
    if (this.told.length >= this.perMinute) return false;
    this.told.push(now);
    return true;
  }
}
