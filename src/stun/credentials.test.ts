import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRestUsername, restPassword, restUsername, verifyRestCredential } from './credentials.js';
import { longTermKey } from './message.js';

// Expected values computed independently with OpenSSL:
//   printf '%s' '1700000000:peer-42' | openssl dgst -sha1 -hmac 'north-secret' -binary | base64
//   printf '%s' 'user' | openssl dgst -sha1 -hmac 'secret' -binary | base64
test('restPassword matches openssl HMAC-SHA1 + base64', () => {
  assert.equal(restPassword('north-secret', '1700000000:peer-42'), '5QrEOzqgjSV7m/mjJAj9P6KhkfE=');
  assert.equal(restPassword('secret', 'user'), 'An2kjIxkLKTFjrmC7sgZFReed6M=');
});

test('restUsername / parseRestUsername', () => {
  const u = restUsername(1700000000, 'peer-42');
  assert.equal(u, '1700000000:peer-42');
  assert.deepEqual(parseRestUsername(u), { expiry: 1700000000, user: 'peer-42' });
  // The timestamp is the part before the FIRST ':'; the user id may contain ':'.
  assert.deepEqual(parseRestUsername('12:a:b'), { expiry: 12, user: 'a:b' });
  assert.deepEqual(parseRestUsername('1700000000'), { expiry: 1700000000, user: '' });
  assert.deepEqual(parseRestUsername('5:'), { expiry: 5, user: '' });
  for (const bad of ['', ':x', 'abc:x', '-1:x', '1.5:x', ' 1:x', '1e9:x', '9999999999999999:x']) assert.equal(parseRestUsername(bad), undefined, bad);
  assert.throws(() => restUsername(1.5, 'x'), RangeError);
  assert.throws(() => restUsername(-1, 'x'), RangeError);
});

test('verifyRestCredential checks expiry and password', () => {
  const u = restUsername(2000, 'p');
  const pw = restPassword('s3', u);
  assert.equal(verifyRestCredential('s3', u, pw, 1999), true);
  assert.equal(verifyRestCredential('s3', u, pw, 2000), true);
  assert.equal(verifyRestCredential('s3', u, pw, 2001), false);
  assert.equal(verifyRestCredential('other', u, pw, 1999), false);
  assert.equal(verifyRestCredential('s3', u, pw.slice(1), 1999), false);
  assert.equal(verifyRestCredential('s3', 'nope', pw, 1999), false);
});

test('REST credentials feed the long-term key like any password', () => {
  const u = restUsername(1700000000, 'peer-42');
  const key = longTermKey(u, 'p2prc', restPassword('north-secret', u));
  assert.equal(key.length, 16);
  assert.deepEqual(key, longTermKey(Buffer.from(u), Buffer.from('p2prc'), Buffer.from('5QrEOzqgjSV7m/mjJAj9P6KhkfE=')));
});
