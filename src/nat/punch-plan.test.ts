import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NatInfo } from '../protocol/messages.js';
import { decodeProbe, encodeProbe, hitProbability, isEasy, isHard, planPunch, punchCost, sprayPorts, sprayTargetProblem, PROBE_BYTES, NAT_PORT_MIN, NAT_PORT_MAX } from './punch-plan.js';

const nat = (natted: boolean, mapping: NatInfo['mapping'], filtering: NatInfo['filtering']): NatInfo => ({ natted, mapping, filtering });
const SYMMETRIC = nat(true, 'address-and-port-dependent', 'address-and-port-dependent');
const CONE = nat(true, 'endpoint-independent', 'address-and-port-dependent');
const FULL_CONE = nat(true, 'endpoint-independent', 'endpoint-independent');
const FIREWALL = nat(false, 'endpoint-independent', 'address-and-port-dependent');
const PUBLIC = nat(false, 'endpoint-independent', 'endpoint-independent');

describe('port prediction plan', () => {
  it('probes only the address the signal server saw the peer at', () => {
    assert.equal(sprayTargetProblem('203.0.113.10', '203.0.113.10'), undefined);
    assert.match(sprayTargetProblem('203.0.113.51', '203.0.113.50') ?? '', /203\.0\.113\.51 is not the peer's address \(the signal server saw it at 203\.0\.113\.50\)/);
    assert.match(sprayTargetProblem('203.0.113.10', undefined) ?? '', /did not say where this message came from/);
    assert.equal(sprayTargetProblem(undefined, '203.0.113.10'), 'no address');
  });

  it('a run costs at most its spray or its sockets\' probes, plus the hit replies', () => {
    assert.equal(punchCost('easy'), 2048 * 3 + 3);
    assert.equal(punchCost('hard'), 256 * 12 + 3);
  });

  it('punches only between a symmetric NAT and a filtered endpoint-independent one', () => {
    assert.equal(planPunch(SYMMETRIC, CONE), 'hard');
    assert.equal(planPunch(CONE, SYMMETRIC), 'easy');
    assert.equal(planPunch(SYMMETRIC, FIREWALL), 'hard');
    assert.equal(planPunch(FIREWALL, SYMMETRIC), 'easy');
    assert.equal(planPunch(nat(true, 'address-dependent', 'address-dependent'), CONE), 'hard');
    // ICE alone does it (open filter: the symmetric side's checks get in) or nothing can.
    assert.equal(planPunch(SYMMETRIC, PUBLIC), undefined);
    assert.equal(planPunch(SYMMETRIC, FULL_CONE), undefined);
    assert.equal(planPunch(SYMMETRIC, SYMMETRIC), undefined);
    assert.equal(planPunch(CONE, CONE), undefined);
    assert.equal(planPunch(CONE, FIREWALL), undefined);
    // Unknown: never guess.
    assert.equal(planPunch(undefined, CONE), undefined);
    assert.equal(planPunch(SYMMETRIC, undefined), undefined);
    assert.equal(planPunch(SYMMETRIC, nat(true, 'endpoint-independent', 'unknown')), undefined);
    assert.equal(isHard(nat(false, 'address-and-port-dependent', 'unknown')), false, 'no NAT is never the hard side');
    assert.equal(isEasy(nat(true, 'unknown', 'address-and-port-dependent')), false);
  });

  it('gives the odds of the birthday punch', () => {
    assert.ok(hitProbability(256, 2048) > 0.9996);
    assert.ok(hitProbability(256, 2048) < 0.99975);
    assert.equal(hitProbability(0, 2048), 0);
    assert.equal(hitProbability(64512, 1), 1);
  });
});

describe('punch probes', () => {
  const token = Buffer.alloc(16, 7);
  it('round-trip each kind and carry the token', () => {
    for (const kind of ['probe', 'ack', 'confirm'] as const) {
      const b = encodeProbe(kind, token);
      assert.equal(b.length, PROBE_BYTES);
      assert.equal(decodeProbe(b, token), kind);
      assert.ok(b[0]! >= 64, 'never taken for STUN (0-3) or DTLS (20-63) by a WebRTC stack that sees a late one');
    }
  });
  it('ignore other tokens, other sizes and other bytes', () => {
    const b = encodeProbe('probe', token);
    assert.equal(decodeProbe(b, Buffer.alloc(16, 8)), undefined);
    assert.equal(decodeProbe(b.subarray(0, b.length - 1), token), undefined);
    assert.equal(decodeProbe(Buffer.concat([b, Buffer.of(0)]), token), undefined);
    const bad = Buffer.from(b);
    bad[12] = 9; // unknown kind
    assert.equal(decodeProbe(bad, token), undefined);
    const notMagic = Buffer.from(b);
    notMagic[0] = 0;
    assert.equal(decodeProbe(notMagic, token), undefined);
    assert.throws(() => encodeProbe('probe', Buffer.alloc(3)), RangeError);
  });
});

describe('spray ports', () => {
  it('are distinct, in range, and skip what was sent', () => {
    const first = sprayPorts(2048);
    assert.equal(new Set(first).size, 2048);
    assert.ok(first.every((p) => p >= NAT_PORT_MIN && p <= NAT_PORT_MAX));
    const second = sprayPorts(2048, new Set(first));
    assert.ok(second.every((p) => !first.includes(p)));
  });
  it('stay bounded whatever the random source returns', () => {
    assert.deepEqual(sprayPorts(5, new Set(), () => 0, 10, 14).sort(), [10, 11, 12, 13, 14]);
    assert.equal(sprayPorts(10, new Set(), () => 0.999999, 10, 14).length, 5);
    assert.deepEqual(sprayPorts(3, new Set([11, 12]), () => 0.5, 10, 14).sort(), [10, 13, 14]);
    assert.deepEqual(sprayPorts(0), []);
  });
});
