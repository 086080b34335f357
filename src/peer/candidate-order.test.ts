import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { candidateOrder, srflxAddress } from './candidate-order.js';

describe('candidate order', () => {
  it('puts reflexive candidates and public or loopback host candidates early', () => {
    assert.equal(candidateOrder('a=candidate:2 1 UDP 1678769919 203.0.113.10 40767 typ srflx raddr 0.0.0.0 rport 0'), 'early');
    assert.equal(candidateOrder('candidate:4 1 UDP 1846541567 198.51.100.2 5000 typ prflx'), 'early');
    assert.equal(candidateOrder('a=candidate:1 1 UDP 2114977791 203.0.113.51 35119 typ host'), 'early');
    assert.equal(candidateOrder('a=candidate:1 1 UDP 2114977791 127.0.0.1 35119 typ host'), 'early');
    assert.equal(candidateOrder('a=candidate:1 1 UDP 2114977791 2001:db8::5 35119 typ host'), 'early');
  });

  it('puts private, CGNAT, link-local and mDNS host candidates, and relays, late', () => {
    for (const a of ['192.168.1.2', '10.0.0.7', '172.16.0.1', '172.31.255.1', '100.64.0.1', '169.254.3.4', 'fd00::1', 'fe80::1', 'abc-123.local']) {
      assert.equal(candidateOrder(`a=candidate:1 1 UDP 2114977791 ${a} 4000 typ host`), 'late', a);
    }
    assert.equal(candidateOrder('a=candidate:1 1 UDP 2114977791 172.32.0.1 4000 typ host'), 'early');
    assert.equal(candidateOrder('a=candidate:3 1 UDP 1048063 203.0.113.1 58135 typ relay raddr 0.0.0.0 rport 0'), 'late');
  });

  it('reads the address of a server-reflexive candidate only', () => {
    assert.equal(srflxAddress('a=candidate:2 1 UDP 1678769919 203.0.113.10 40767 typ srflx raddr 0.0.0.0 rport 0'), '203.0.113.10');
    assert.equal(srflxAddress('a=candidate:1 1 UDP 2114977791 192.168.1.2 4000 typ host'), undefined);
  });
});
