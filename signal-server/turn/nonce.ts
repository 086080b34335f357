/**
 * Stateless nonces (RFC 8489 §9.2): an expiry time and an HMAC binding it to
 * the client's address, so the server keeps no per-client state before a
 * client authenticates, and a stale nonce is recognised (438).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Nonces are valid this long; a client with a stale one gets 438 and retries. */
export const NONCE_LIFETIME_MS = 10 * 60 * 1000;

export class NonceIssuer {
  private readonly key = randomBytes(32);

  issue(client: string, now = Date.now()): string {
    const exp = (now + NONCE_LIFETIME_MS).toString(36);
    return `${exp}.${this.mac(exp, client)}`;
  }

  /** 'ok', 'stale' (well-formed, ours, expired) or 'invalid'. */
  check(nonce: string, client: string, now = Date.now()): 'ok' | 'stale' | 'invalid' {
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(nonce);
    if (!m) return 'invalid';
    const expected = Buffer.from(this.mac(m[1]!, client));
    const got = Buffer.from(m[2]!);
    if (expected.length !== got.length || !timingSafeEqual(expected, got)) return 'invalid';
    return parseInt(m[1]!, 36) > now ? 'ok' : 'stale';
  }

  private mac(exp: string, client: string): string {
    return createHmac('sha256', this.key).update(`${exp}|${client}`).digest('base64url').slice(0, 22);
  }
}
