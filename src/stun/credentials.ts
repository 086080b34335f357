/**
 * The "TURN REST API" credential scheme (draft-uberti-behave-turn-rest-00)
 * that coturn implements with `use-auth-secret` / `static-auth-secret`:
 *
 *   username = "<expiry unix seconds>:<user id>"
 *   password = base64(HMAC-SHA1(secret, username))
 *
 * The TURN server then uses the ordinary long-term mechanism with that
 * username/password: key = longTermKey(username, realm, password).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function restUsername(expiryUnixSeconds: number, peerId: string): string {
  if (!Number.isSafeInteger(expiryUnixSeconds) || expiryUnixSeconds < 0) {
    throw new RangeError(`expiry must be a non-negative integer number of seconds, got ${expiryUnixSeconds}`);
  }
  return `${expiryUnixSeconds}:${peerId}`;
}

export function restPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * Splits a REST username at the first ':'. A username that is only digits
 * (coturn also accepts that form) yields `user: ''`. undefined when the part
 * before the ':' is not a plain decimal timestamp.
 */
export function parseRestUsername(u: string): { expiry: number; user: string } | undefined {
  if (typeof u !== 'string') return undefined;
  const i = u.indexOf(':');
  const ts = i < 0 ? u : u.slice(0, i);
  if (!/^[0-9]{1,15}$/.test(ts)) return undefined;
  return { expiry: Number(ts), user: i < 0 ? '' : u.slice(i + 1) };
}

/**
 * Checks a REST username/password pair against `secret` at time `nowUnixSeconds`
 * (constant-time comparison). For servers that receive the password directly;
 * a TURN server verifies MESSAGE-INTEGRITY with the derived key instead.
 */
export function verifyRestCredential(secret: string, username: string, password: string, nowUnixSeconds: number): boolean {
  const parsed = parseRestUsername(username);
  if (!parsed || parsed.expiry < nowUnixSeconds) return false;
  const expected = Buffer.from(restPassword(secret, username));
  const got = Buffer.from(String(password));
  return expected.length === got.length && timingSafeEqual(expected, got);
}
