import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StunDecodeError } from './errors.js';
import { nextFrameLength, splitFrames } from './framing.js';
import { encodeChannelData } from './channel-data.js';
import { RFC5769_IPV4_RESPONSE, RFC5769_REQUEST } from './rfc5769-vectors.js';

test('nextFrameLength for STUN and padded ChannelData', () => {
  assert.equal(nextFrameLength(RFC5769_REQUEST), 108);
  assert.equal(nextFrameLength(RFC5769_REQUEST.subarray(0, 4)), 108);
  assert.equal(nextFrameLength(RFC5769_REQUEST.subarray(0, 3)), undefined);
  assert.equal(nextFrameLength(Buffer.from('40010005', 'hex')), 12);
  assert.equal(nextFrameLength(Buffer.from('40010008', 'hex')), 12);
  assert.equal(nextFrameLength(Buffer.from('40010000', 'hex')), 4);
  assert.throws(() => nextFrameLength(Buffer.from('80000000', 'hex')), StunDecodeError);
  assert.throws(() => nextFrameLength(Buffer.from('00010002', 'hex')), StunDecodeError);
});

test('splitFrames cuts a TCP stream into messages and keeps the rest', () => {
  const cd = encodeChannelData(0x4002, Buffer.from('hello'), true);
  const stream = Buffer.concat([RFC5769_REQUEST, cd, RFC5769_IPV4_RESPONSE, RFC5769_REQUEST.subarray(0, 30)]);
  const { frames, rest } = splitFrames(stream);
  assert.deepEqual(frames, [RFC5769_REQUEST, cd, RFC5769_IPV4_RESPONSE]);
  assert.deepEqual(rest, RFC5769_REQUEST.subarray(0, 30));
  assert.deepEqual(splitFrames(Buffer.alloc(0)), { frames: [], rest: Buffer.alloc(0) });
  assert.throws(() => splitFrames(Buffer.concat([cd, Buffer.from('c0000000', 'hex')])), StunDecodeError);
});
