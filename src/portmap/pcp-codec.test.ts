/**
 * The PCP codec (RFC 6887) byte for byte, and the NAT-PMP and PCP response
 * decoders under 20,000 random and mutated inputs (a deterministic xorshift,
 * as src/stun/fuzz.test.ts): a hostile or broken gateway may only ever make
 * them throw P2prcError `bad-response` or `port-map-failed`, never anything else.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { P2prcError } from '../protocol/errors.js';
import { MAP_REQUEST_LENGTH, decodeResponse, encodeAnnounceRequest, encodeMapRequest, mappedV4, resultText, unmapV4 } from './pcp-codec.js';
import { decodeResponse as decodePmp, encodeMapRequest as encodePmp } from './natpmp.js';
import { xorshift32 } from '../util/xorshift.js';

const NONCE = Buffer.from('0102030405060708090a0b0c', 'hex');

/** A MAP response as miniupnpd would write it. */
function mapResponse(o: { result?: number; lifetime?: number; epoch?: number; nonce?: Buffer; protocol?: number; internal?: number; external?: number; address?: string } = {}): Buffer {
  const b = Buffer.alloc(MAP_REQUEST_LENGTH);
  b[0] = 2;
  b[1] = 0x81;
  b[3] = o.result ?? 0;
  b.writeUInt32BE(o.lifetime ?? 3600, 4);
  b.writeUInt32BE(o.epoch ?? 77, 8);
  (o.nonce ?? NONCE).copy(b, 24);
  b[36] = o.protocol ?? 17;
  b.writeUInt16BE(o.internal ?? 40000, 40);
  b.writeUInt16BE(o.external ?? 40001, 42);
  mappedV4(o.address ?? '203.0.113.10').copy(b, 44);
  return b;
}

describe('PCP codec (RFC 6887)', () => {
  it('encodes a MAP request field by field', () => {
    const b = encodeMapRequest({ protocol: 'udp', internalPort: 40000, suggestedExternalPort: 40000, lifetime: 3600, nonce: NONCE, clientAddress: '192.168.1.2' });
    assert.equal(b.length, 60);
    assert.equal(
      b.toString('hex'),
      '02010000' + '00000e10' + '00000000000000000000ffffc0a80102' + // version 2, MAP, lifetime, client address
        '0102030405060708090a0b0c' + '11000000' + '9c409c40' + '00000000000000000000ffff00000000', // nonce, UDP, ports, no suggested address
    );
    assert.equal(encodeMapRequest({ protocol: 'tcp', internalPort: 1, suggestedExternalPort: 0, lifetime: 0, nonce: NONCE, clientAddress: '10.0.0.1' })[36], 6);
    assert.equal(encodeAnnounceRequest('192.168.1.2').toString('hex'), '02000000' + '00000000' + '00000000000000000000ffffc0a80102');
    assert.throws(() => encodeMapRequest({ protocol: 'udp', internalPort: 1, suggestedExternalPort: 0, lifetime: 0, nonce: Buffer.alloc(4), clientAddress: '10.0.0.1' }), /12 bytes/);
    assert.throws(() => mappedV4('2001:db8::1'), /not an IPv4 address/);
  });

  it('decodes a MAP success, an error with and without MAP data, ANNOUNCE, and a NAT-PMP gateway\'s version answer', () => {
    const ok = decodeResponse(mapResponse());
    assert.deepEqual(ok, { kind: 'map', result: 0, lifetime: 3600, epoch: 77, nonce: NONCE, protocol: 17, internalPort: 40000, externalPort: 40001, externalAddress: '203.0.113.10' });
    const refused = decodeResponse(mapResponse({ result: 8 }));
    assert.equal(refused.kind === 'map' && refused.result, 8);
    assert.equal(resultText(8), 'no resources (8)');
    const short = decodeResponse(mapResponse({ result: 3 }).subarray(0, 24));
    assert.equal(short.kind === 'map' && short.result, 3);
    assert.throws(() => decodeResponse(mapResponse().subarray(0, 24)), /too short/); // a success must carry the MAP data
    assert.deepEqual(decodeResponse(Buffer.from('02800000' + '00000000' + '00000063' + '00'.repeat(12), 'hex')), { kind: 'announce', result: 0, epoch: 99 });
    // miniupnpd with PCP off, or any NAT-PMP-only gateway: version 0, opcode 128 + x, result 1.
    assert.deepEqual(decodeResponse(Buffer.from('00810001' + '00000010', 'hex')), { kind: 'natpmp-only', result: 1 });
    assert.equal(unmapV4(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8:0:0:0:0:0:1');
  });

  it('refuses what is not a PCP response', () => {
    assert.throws(() => decodeResponse(Buffer.from('02', 'hex')), /too short/);
    for (const [hex, why] of [
      ['03810000', /version 3/],
      ['02010000', /a PCP request/],
      ['02820000', /neither MAP nor ANNOUNCE/],
      ['00010000', /a NAT-PMP request/],
    ] as const) {
      assert.throws(() => decodeResponse(Buffer.from(hex.padEnd(120, '0'), 'hex')), why, hex);
    }
  });
});

describe('NAT-PMP and PCP decoders against a hostile gateway', () => {
  it('20,000 random and mutated responses: only P2prcError, never another exception', () => {
    const rnd = xorshift32(0x9e3779b9);
    const seeds = [mapResponse(), mapResponse({ result: 2 }), Buffer.from('00810001' + '00000010', 'hex'), Buffer.from('00800000' + '00000010' + 'cb007105', 'hex'), Buffer.from('00810000' + '00000010' + '9c409c4100000e10', 'hex'), encodePmp('udp', 1, 1, 1)];
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      let input: Buffer;
      if (i % 2) {
        input = Buffer.alloc(rnd() % 120);
        for (let j = 0; j < input.length; j++) input[j] = rnd() & 0xff;
      } else {
        const seed = seeds[rnd() % seeds.length]!;
        input = Buffer.from(seed.subarray(0, Math.max(0, seed.length - (rnd() % 8 === 0 ? rnd() % seed.length : 0))));
        for (let k = rnd() % 4; k >= 0 && input.length; k--) input[rnd() % input.length] = rnd() & 0xff;
        if (input.length) input[0] = [0, 2, rnd() & 0xff][rnd() % 3]!; // keep the version byte plausible often
      }
      for (const decode of [() => decodeResponse(input), () => decodePmp(input, 0), () => decodePmp(input, 1), () => decodePmp(input, 2)]) {
        try {
          decode();
          decoded++;
        } catch (e) {
          if (!(e instanceof P2prcError)) assert.fail(`a decoder threw ${String(e)} for ${input.toString('hex')}`);
        }
      }
    }
    assert.ok(decoded > 100, `the mutations reach the decoders' success paths too (${decoded})`);
  });
});
