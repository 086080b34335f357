import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StunDecodeError } from './errors.js';
import { decodeChannelData, encodeChannelData, isChannelData, looksLikeChannelData, viewChannelData, writeChannelDataHeader } from './channel-data.js';
import { isStunMessage } from './message.js';
import { RFC5769_REQUEST } from './rfc5769-vectors.js';

const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StunDecodeError);
    return e.reason;
  }
  assert.fail('did not throw');
};

test('ChannelData round trip, with and without padding', () => {
  const cd = encodeChannelData(0x4001, Buffer.from('hello'));
  assert.deepEqual(cd, Buffer.from('4001000568656c6c6f', 'hex'));
  assert.equal(isChannelData(cd), true);
  assert.equal(isStunMessage(cd), false);
  assert.deepEqual(decodeChannelData(cd), { channel: 0x4001, data: Buffer.from('hello') });
  const padded = encodeChannelData(0x4fff, Buffer.from('hello'), true);
  assert.equal(padded.length, 12);
  assert.deepEqual(padded.subarray(9), Buffer.alloc(3));
  assert.deepEqual(decodeChannelData(padded), { channel: 0x4fff, data: Buffer.from('hello') });
  assert.deepEqual(decodeChannelData(encodeChannelData(0x4000, Buffer.alloc(0))), { channel: 0x4000, data: Buffer.alloc(0) });
  assert.equal(encodeChannelData(0x4000, Buffer.alloc(4), true).length, 8);
  assert.equal(decodeChannelData(encodeChannelData(0x4abc, Buffer.alloc(0xffff, 7))).data.length, 0xffff);
  // Data is a copy.
  const src = Buffer.from(cd);
  const d = decodeChannelData(src);
  src.fill(0);
  assert.deepEqual(d.data, Buffer.from('hello'));
});

test('ChannelData rejects bad channel numbers and lengths', () => {
  assert.equal(reason(() => decodeChannelData(Buffer.from('4001', 'hex'))), 'too-short');
  assert.equal(reason(() => decodeChannelData(Buffer.from('3fff0000', 'hex'))), 'bad-channel-number');
  assert.equal(reason(() => decodeChannelData(Buffer.from('50000000', 'hex'))), 'bad-channel-number'); // reserved
  assert.equal(reason(() => decodeChannelData(Buffer.from('7fff0000', 'hex'))), 'bad-channel-number'); // reserved
  assert.equal(reason(() => decodeChannelData(Buffer.from('4001000568656c6c', 'hex'))), 'length-mismatch'); // truncated
  assert.equal(reason(() => decodeChannelData(Buffer.from('400100016800000000', 'hex'))), 'length-mismatch'); // 4 pad bytes
  assert.equal(reason(() => decodeChannelData(RFC5769_REQUEST)), 'bad-channel-number');
  assert.equal(reason(() => decodeChannelData(7 as unknown as Buffer)), 'not-a-buffer');
  for (const b of ['4001', '3fff0000', '50000000', '4001000568656c6c', '400100016800000000']) assert.equal(isChannelData(Buffer.from(b, 'hex')), false, b);
  assert.equal(isChannelData(RFC5769_REQUEST), false);
  assert.equal(isChannelData('x' as unknown as Buffer), false);
  assert.equal(isChannelData(Buffer.from('40010001680000', 'hex')), true); // 3 pad bytes ok
  assert.throws(() => encodeChannelData(0x3fff, Buffer.alloc(1)), RangeError);
  assert.throws(() => encodeChannelData(0x5000, Buffer.alloc(1)), RangeError);
  assert.throws(() => encodeChannelData(0x4000, Buffer.alloc(0x10000)), RangeError);
});

test('viewChannelData parses in place and never throws', () => {
  const buf = encodeChannelData(0x4001, Buffer.from('abc'));
  const v = viewChannelData(buf)!;
  assert.equal(v.channel, 0x4001);
  assert.equal(v.data.toString(), 'abc');
  assert.equal(v.data.buffer, buf.buffer, 'a view, not a copy');
  assert.equal(viewChannelData(Buffer.from('4001ffff', 'hex')), undefined);
  assert.equal(viewChannelData(Buffer.from('5001000161', 'hex')), undefined);
  assert.equal(viewChannelData(Buffer.from('5001000161', 'hex'), { rfc5766Range: true })?.channel, 0x5001);
  assert.equal(looksLikeChannelData(Buffer.from('40010000', 'hex')), true);
  assert.equal(looksLikeChannelData(Buffer.from('00010000', 'hex')), false);
});

test('writeChannelDataHeader: the header alone, for a gathered send; RFC 5766 channels too', () => {
  const hdr = Buffer.alloc(4);
  writeChannelDataHeader(hdr, 0x4001, 5);
  assert.deepEqual(Buffer.concat([hdr, Buffer.from('hello')]), encodeChannelData(0x4001, Buffer.from('hello')));
  writeChannelDataHeader(hdr, 0x7fff, 0xffff); // coturn's client uses 0x5000+, which the relay accepts
  assert.deepEqual(hdr, Buffer.from('7fffffff', 'hex'));
  const longer = Buffer.alloc(8, 0xee);
  writeChannelDataHeader(longer, 0x4abc, 0);
  assert.deepEqual(longer, Buffer.from('4abc0000eeeeeeee', 'hex')); // only the first 4 bytes are written
  assert.throws(() => writeChannelDataHeader(hdr, 0x4000, 0x10000), RangeError);
  assert.throws(() => writeChannelDataHeader(Buffer.alloc(3), 0x4000, 0), RangeError);
});
