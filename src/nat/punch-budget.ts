/**
 * What punching may cost this peer (pure: time is passed in). A punch sends
 * thousands of datagrams (punch-plan.ts: punchCost), so even with its target
 * proven to be the other peer, how often we punch is bounded twice: a per-peer
 * cooldown on punches another peer starts with us, and a global budget of punch
 * datagrams per minute over every run, ours and theirs. Beyond either a punch
 * is refused (the session then goes on with ICE alone, and the relay).
 */

/**
 * Another peer may start at most one punch with us per this interval. A legitimate
 * connect punches once per session, and a new session with the same peer within
 * seconds (a retry) does as well with ICE and the relay.
 */
export const PUNCH_PEER_COOLDOWN_MS = 10_000;
/**
 * Punch datagrams per minute over all runs: about five easy-side sprays (6,147 each)
 * or ten hard-side runs (3,075 each), far above what a peer's own connects need,
 * and about 500 datagrams/s averaged, not the 19k/s one punch after another sent.
 */
export const PUNCH_BUDGET_PER_MIN = 32_000;
/** Peers remembered for the cooldown; the oldest are forgotten beyond this (a bound on memory). */
export const PUNCH_COOLDOWN_PEERS = 4096;

export class PunchBudget {
  private tokens: number;
  private last: number;
  private readonly lastStart = new Map<string, number>();

  constructor(
    private readonly perMinute = PUNCH_BUDGET_PER_MIN,
    private readonly cooldownMs = PUNCH_PEER_COOLDOWN_MS,
    now = Date.now(),
  ) {
    this.tokens = perMinute;
    this.last = now;
  }

  /** Datagrams that may be sent now. */
  available(now = Date.now()): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /**
   * Charge a run of `cost` datagrams. `peerId` is set for a punch another peer
   * started (its cooldown applies). Returns why it is refused, or undefined when
   * it was charged.
   */
  take(cost: number, now = Date.now(), peerId?: string): string | undefined {
    if (peerId !== undefined) {
      const last = this.lastStart.get(peerId);
      if (last !== undefined && now - last < this.cooldownMs) return `this peer started a punch ${now - last} ms ago (one per ${this.cooldownMs} ms)`;
    }
    this.refill(now);
    if (this.tokens < cost) return `punch budget spent (${this.perMinute} datagrams/min; ${Math.floor(this.tokens)} left, a run needs ${cost})`;
    this.tokens -= cost;
    if (peerId !== undefined) {
      this.lastStart.delete(peerId);
      this.lastStart.set(peerId, now);
      if (this.lastStart.size > PUNCH_COOLDOWN_PEERS) this.lastStart.delete(this.lastStart.keys().next().value!);
    }
    return undefined;
  }

  private refill(now: number): void {
    const dt = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.perMinute, this.tokens + (dt * this.perMinute) / 60_000);
  }
}
