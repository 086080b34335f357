import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classicName, explain } from './detect.js';

describe('NAT classification', () => {
  it('names the classic types', () => {
    assert.equal(classicName(true, 'endpoint-independent', 'address-and-port-dependent'), 'port-restricted cone NAT');
    assert.equal(classicName(true, 'endpoint-independent', 'endpoint-independent'), 'full cone NAT');
    assert.equal(classicName(true, 'address-and-port-dependent', 'address-and-port-dependent'), 'symmetric NAT');
    assert.equal(classicName(false, 'endpoint-independent', 'address-and-port-dependent'), 'no NAT, stateful firewall');
  });
  it('says what a symmetric NAT means for connectivity', () => {
    const words = explain({ natted: true, mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', behaviourDiscovery: true }).join(' ');
    assert.match(words, /symmetric/);
    assert.match(words, /relay/);
    assert.match(explain({ behaviourDiscovery: false, mapping: 'unknown', filtering: 'unknown' }).join(' '), /--alt-ip/);
  });
});
