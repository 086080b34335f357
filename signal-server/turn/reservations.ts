/**
 * EVEN-PORT with the R bit (RFC 8656 §7.2): the relay port after an even one
 * is held for a later Allocate that presents the token, for about 30 seconds,
 * then given back. Generic over the held thing (a socket in the server), so
 * the rules are testable without binding anything.
 */
import { randomBytes } from 'node:crypto';

/** RFC 8656 §7.2: a reserved port is held about 30 seconds. */
export const RESERVATION_MS = 30_000;
/** RESERVATION-TOKEN is 8 bytes (RFC 8656 §18.9). */
export const RESERVATION_TOKEN_BYTES = 8;

export class Reservations<T> {
  /** Held things by token (hex). */
  private readonly held = new Map<string, { item: T; timer: NodeJS.Timeout }>();

  /**
   * `expire`: gives an unclaimed item back (the server frees the port and closes the socket).
   * `close`: disposes of an item still held when the server stops.
   */
  constructor(
    private readonly expire: (item: T) => void,
    private readonly close: (item: T) => void,
    private readonly holdMs = RESERVATION_MS,
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** Holds `item` and returns the token that claims it. */
  reserve(item: T): Buffer {
    const token = randomBytes(RESERVATION_TOKEN_BYTES);
    const hex = token.toString('hex');
    const timer = setTimeout(() => {
      this.held.delete(hex);
      this.expire(item);
    }, this.holdMs);
    timer.unref();
    this.held.set(hex, { item, timer });
    return token;
  }

  /** The item held for `token`, handed over once; undefined for an unknown, used or expired token. */
  take(token: Buffer): T | undefined {
    const hex = token.toString('hex');
    const r = this.held.get(hex);
    if (!r) return undefined;
    this.held.delete(hex);
    clearTimeout(r.timer);
    return r.item;
  }

  /** Server stopping: every held item closed, no timer left. */
  clear(): void {
    for (const r of this.held.values()) {
      clearTimeout(r.timer);
      this.close(r.item);
    }
    this.held.clear();
  }
}
