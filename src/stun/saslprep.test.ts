import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opaqueString, saslprep } from './saslprep.js';

test('saslprep: RFC 4013 examples and the RFC 5769 §2.4 password', () => {
  assert.equal(saslprep('I\u00ADX'), 'IX'); // soft hyphen mapped to nothing
  assert.equal(saslprep('user'), 'user');
  assert.equal(saslprep('USER'), 'USER');
  assert.equal(saslprep('\u00AA'), 'a'); // NFKC
  assert.equal(saslprep('\u2168'), 'IX'); // NFKC
  assert.equal(saslprep('a\u00A0b'), 'a b'); // non-ASCII space
  assert.throws(() => saslprep('\u0007'), RangeError); // prohibited
  assert.throws(() => saslprep('a\uE000'), RangeError); // private use
  // RFC 5769 §2.4: "The<U+00AD>M<U+00AA>tr<U+2168>" -> "TheMatrIX"
  assert.equal(saslprep('The\u00ADM\u00AAtr\u2168'), 'TheMatrIX');
  // The username of §2.4 is unchanged by SASLprep.
  const u = '\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9';
  assert.equal(saslprep(u), u);
});

test('opaqueString: NFC, space mapping, rejects empty and controls', () => {
  assert.equal(opaqueString('e\u0301'), '\u00E9');
  assert.equal(opaqueString('a\u3000b'), 'a b');
  assert.equal(opaqueString('\u2168'), '\u2168'); // no compatibility mapping
  assert.throws(() => opaqueString(''), RangeError);
  assert.throws(() => opaqueString('a\nb'), RangeError);
});
