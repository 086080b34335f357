/**
 * Robustness: decoders see 20,000+ random and mutated inputs (deterministic
 * xorshift PRNG) and must only ever throw StunDecodeError - no other
 * exception, no hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Attr } from './constants.js';
import { StunDecodeError } from './errors.js';
import { decodeMessage, encodeMessage, isStunMessage, verifyFingerprint, verifyMessageIntegrity, verifyMessageIntegritySha256 } from './message.js';
import { decodeChannelData, encodeChannelData, isChannelData } from './channel-data.js';
import { nextFrameLength } from './framing.js';
import { RFC5769_VECTORS } from './rfc5769-vectors.js';
import * as A from './index.js';
import { xorshift32 } from '../util/xorshift.js';

const rnd = xorshift32(0xc0ffee);
const int = (n: number): number => (n <= 0 ? 0 : rnd() % n);
const bytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rnd() & 0xff;
  return b;
};

function onlyDecodeErrors(what: string, input: Buffer, fn: () => unknown): 'ok' | 'rejected' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof StunDecodeError) return 'rejected';
    assert.fail(`${what} threw ${String(e)} for ${input.toString('hex')}`);
  }
}

const SEEDS: Buffer[] = [
  ...RFC5769_VECTORS,
  encodeMessage(
    {
      cls: 0,
      method: 3,
      transactionId: Buffer.alloc(12, 5),
      attributes: [
        { type: Attr.RequestedTransport, value: Buffer.from('11000000', 'hex') },
        { type: Attr.XorPeerAddress, value: A.encodeXorAddress({ family: 'IPv6', address: '2001:db8::7', port: 9 }, Buffer.alloc(12, 5)) },
        { type: Attr.ErrorCode, value: A.encodeErrorCode(438) },
        { type: Attr.PasswordAlgorithms, value: A.encodePasswordAlgorithms([{ algorithm: 1, parameters: Buffer.alloc(0) }]) },
      ],
    },
    { integrityKey: Buffer.from('k'), integritySha256Key: Buffer.from('k'), fingerprint: true },
  ),
  encodeChannelData(0x4000, Buffer.from('some channel data'), true),
];

/** Every attribute decoder of the package, applied to an arbitrary value. */
const ATTRIBUTE_DECODERS: [string, (v: Buffer, tid: Buffer) => unknown][] = [
  ['address', (v) => A.decodeAddress(v)],
  ['xor-address', (v, t) => A.decodeXorAddress(v, t)],
  ['error-code', (v) => A.decodeErrorCode(v)],
  ['address-error-code', (v) => A.decodeAddressErrorCode(v)],
  ['lifetime', (v) => A.decodeLifetime(v)],
  ['channel-number', (v) => A.decodeChannelNumber(v)],
  ['requested-transport', (v) => A.decodeRequestedTransport(v)],
  ['change-request', (v) => A.decodeChangeRequest(v)],
  ['unknown-attributes', (v) => A.decodeUnknownAttributes(v)],
  ['text', (v) => A.decodeText(v)],
  ['username', (v) => A.decodeUsername(v)],
  ['realm', (v) => A.decodeRealm(v)],
  ['even-port', (v) => A.decodeEvenPort(v)],
  ['requested-address-family', (v) => A.decodeRequestedAddressFamily(v)],
  ['additional-address-family', (v) => A.decodeAdditionalAddressFamily(v)],
  ['data', (v) => A.decodeData(v)],
  ['padding', (v) => A.decodePadding(v)],
  ['priority', (v) => A.decodePriority(v)],
  ['ice-controlled', (v) => A.decodeIceControlled(v)],
  ['use-candidate', (v) => A.decodeUseCandidate(v)],
  ['response-port', (v) => A.decodeResponsePort(v)],
  ['reservation-token', (v) => A.decodeReservationToken(v)],
  ['connection-id', (v) => A.decodeConnectionId(v)],
  ['dont-fragment', (v) => A.decodeDontFragment(v)],
  ['password-algorithm', (v) => A.decodePasswordAlgorithm(v)],
  ['password-algorithms', (v) => A.decodePasswordAlgorithms(v)],
  ['userhash', (v) => A.decodeUserhash(v)],
  ['icmp', (v) => A.decodeIcmp(v)],
  ['message-integrity', (v) => A.decodeMessageIntegrity(v)],
  ['message-integrity-sha256', (v) => A.decodeMessageIntegritySha256(v)],
  ['fingerprint', (v) => A.decodeFingerprint(v)],
];

function mutate(seed: Buffer, i: number): Buffer {
  const b = Buffer.from(seed);
  switch (i % 8) {
    case 0: // random bytes of random length
      return bytes(int(160));
    case 1: // truncation
      return Buffer.from(seed.subarray(0, int(seed.length + 1)));
    case 2: // bit flips
      for (let k = 1 + int(4); k > 0; k--) {
        const p = int(b.length);
        b[p] = b[p]! ^ (1 << int(8));
      }
      return b;
    case 3: // message length field edits (keeping the rest)
      if (b.length >= 4) b.writeUInt16BE(int(6) === 0 ? rnd() & 0xffff : Math.max(0, b.length - 20 + (int(9) - 4) * 4), 2);
      return b;
    case 4: { // attribute length field edits
      if (b.length > 24) {
        const p = 20 + 4 * int((b.length - 20) / 4);
        if (p + 4 <= b.length) b.writeUInt16BE(int(3) === 0 ? rnd() & 0xffff : int(48), p + 2);
      }
      return b;
    }
    case 5: { // valid header, random TLV soup
      const body = bytes(4 * int(40));
      const h = Buffer.from('000100002112a442000000000000000000000000', 'hex');
      h.writeUInt16BE(body.length, 2);
      h[0] = rnd() & 0x3f;
      return Buffer.concat([h, body]);
    }
    case 6: // appended or removed trailing bytes
      return int(2) ? Buffer.concat([b, bytes(1 + int(8))]) : b.subarray(0, Math.max(0, b.length - 1 - int(4)));
    default: { // splice a random chunk into the middle
      const p = int(b.length);
      return Buffer.concat([b.subarray(0, p), bytes(int(12)), b.subarray(p)]);
    }
  }
}

test('fuzz: decodeMessage / decodeChannelData / verifiers only throw StunDecodeError', () => {
  const N = 20000;
  let decoded = 0;
  let rejected = 0;
  for (let i = 0; i < N; i++) {
    const input = mutate(SEEDS[i % SEEDS.length]!, Math.floor(i / SEEDS.length));
    const r = onlyDecodeErrors('decodeMessage', input, () => {
      const m = decodeMessage(input);
      assert.equal(m.transactionId.length, 12);
      let total = 20;
      for (const a of m.attributes) total += 4 + ((a.value.length + 3) & ~3);
      assert.ok(total <= input.length);
      // Every attribute decoder must cope with every value found in a message (sampled, for speed).
      if (i % 4 === 0) {
        for (const a of m.attributes) for (const [name, dec] of ATTRIBUTE_DECODERS) onlyDecodeErrors(name, a.value, () => dec(a.value, m.transactionId));
      }
      return m;
    });
    if (r === 'ok') {
      decoded++;
      assert.equal(isStunMessage(input), true);
    } else {
      rejected++;
      assert.equal(typeof isStunMessage(input), 'boolean');
    }
    onlyDecodeErrors('decodeChannelData', input, () => decodeChannelData(input));
    assert.equal(typeof isChannelData(input), 'boolean');
    assert.equal(typeof verifyMessageIntegrity(input, Buffer.from('k')), 'boolean');
    assert.equal(typeof verifyMessageIntegritySha256(input, Buffer.from('k')), 'boolean');
    assert.equal(typeof verifyFingerprint(input), 'boolean');
    onlyDecodeErrors('nextFrameLength', input, () => nextFrameLength(input));
  }
  // The mutations are a mix: both outcomes must occur often.
  assert.ok(decoded > 1000, `decoded ${decoded}`);
  assert.ok(rejected > 1000, `rejected ${rejected}`);
});

test('fuzz: attribute decoders only throw StunDecodeError on arbitrary values', () => {
  const tid = Buffer.alloc(12, 1);
  for (let i = 0; i < 3000; i++) {
    // Short values around the interesting sizes, and slices of the seeds.
    const v = i % 2 ? bytes(int(48)) : mutate(SEEDS[i % SEEDS.length]!, i).subarray(20, 20 + int(40));
    for (const [name, dec] of ATTRIBUTE_DECODERS) onlyDecodeErrors(name, v, () => dec(v, tid));
  }
});

test('fuzz: whatever decodes, re-encodes to a message that decodes to the same thing', () => {
  for (let i = 0; i < 5000; i++) {
    const input = mutate(SEEDS[i % SEEDS.length]!, i);
    let m;
    try {
      m = decodeMessage(input);
    } catch {
      continue;
    }
    const again = decodeMessage(encodeMessage(m));
    assert.deepEqual(again, m);
  }
});
