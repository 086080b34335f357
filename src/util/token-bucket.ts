/**
 * A token bucket for a byte rate: `take(n)` spends n bytes and answers how long
 * the caller should wait before moving more (0: go on). It lets a debt build up
 * instead of refusing, so a caller that already holds the bytes (read from a
 * socket, granted to a peer) sends them and then waits. Pure: time comes in.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate bytes per second
   * @param burst bytes that may go at once after an idle spell (default: a quarter second's worth, at least 64 KiB)
   */
  constructor(
    readonly rate: number,
    readonly burst = Math.max(64 * 1024, rate / 4),
    now = performance.now(),
  ) {
    if (!(rate > 0)) throw new RangeError('rate must be positive');
    this.tokens = burst;
    this.last = now;
  }

  /** Spend `bytes`; the milliseconds until the bucket is out of debt (0 when it is not in debt). */
  take(bytes: number, now = performance.now()): number {
    this.refill(now);
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }

  private refill(now: number): void {
    const dt = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + dt * this.rate);
  }
}
