/** Stateless nonces driven with the clock passed in: validity, expiry (438's "stale") and what is not ours. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NONCE_LIFETIME_MS, NonceIssuer } from './nonce.js';

const T0 = 1_700_000_000_000;
const CLIENT = '203.0.113.1:40000';

test('a fresh nonce is ok for the client it was issued to, until it expires', () => {
  const n = new NonceIssuer();
  const nonce = n.issue(CLIENT, T0);
  assert.equal(n.check(nonce, CLIENT, T0), 'ok');
  assert.equal(n.check(nonce, CLIENT, T0 + NONCE_LIFETIME_MS - 1), 'ok');
  assert.equal(n.check(nonce, CLIENT, T0 + NONCE_LIFETIME_MS), 'stale'); // expired exactly at the lifetime
  assert.equal(n.check(nonce, CLIENT, T0 + 365 * 24 * 3600 * 1000), 'stale');
  assert.ok(nonce.length < 128, 'NONCE is under 128 characters (RFC 8489 §14.10)');
});

test('the default clock is Date.now()', () => {
  const n = new NonceIssuer();
  assert.equal(n.check(n.issue(CLIENT), CLIENT), 'ok');
  assert.equal(n.check(n.issue(CLIENT, Date.now() - NONCE_LIFETIME_MS - 1), CLIENT), 'stale');
});

test('a nonce is bound to its client address and to the issuer key', () => {
  const n = new NonceIssuer();
  const nonce = n.issue(CLIENT, T0);
  assert.equal(n.check(nonce, '203.0.113.1:40001', T0), 'invalid'); // another port
  assert.equal(n.check(nonce, '203.0.113.2:40000', T0), 'invalid'); // another host
  assert.equal(new NonceIssuer().check(nonce, CLIENT, T0), 'invalid'); // another server (restarted)
  // An expired nonce that is not ours is invalid, not stale: staleness is only told for our own.
  const old = n.issue(CLIENT, T0 - 2 * NONCE_LIFETIME_MS);
  assert.equal(n.check(old, CLIENT, T0), 'stale');
  assert.equal(n.check(old, '203.0.113.9:1', T0), 'invalid');
});

test('tampered or malformed nonces are invalid', () => {
  const n = new NonceIssuer();
  const nonce = n.issue(CLIENT, T0);
  const [exp, mac] = nonce.split('.') as [string, string];
  // A later expiry with the old MAC (extending one's own nonce) is refused.
  const later = (parseInt(exp, 36) + NONCE_LIFETIME_MS).toString(36);
  assert.equal(n.check(`${later}.${mac}`, CLIENT, T0), 'invalid');
  const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
  assert.equal(n.check(`${exp}.${flipped}`, CLIENT, T0), 'invalid');
  for (const bad of ['', '.', exp, `${exp}.`, `.${mac}`, `${exp}.${mac}x`, `${exp}.${mac.slice(1)}`, `${exp.toUpperCase()}X.${mac}`, `${exp}.${mac}.${mac}`, `1234567890123.${mac}`]) {
    assert.equal(n.check(bad, CLIENT, T0), 'invalid', JSON.stringify(bad));
  }
});
