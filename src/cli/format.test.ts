import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRoute } from './format.js';
import type { Route } from '../peer/ice.js';

const direct: Route = {
  kind: 'direct',
  local: { type: 'host', address: '10.0.0.1', port: 5000 },
  remote: { type: 'srflx', address: '198.51.100.7', port: 6000 },
  setupMs: 42,
};
const relayed: Route = {
  kind: 'relay',
  local: { type: 'relay', address: '2001:db8::1', port: 49152 },
  remote: { type: 'host', address: '192.168.1.2', port: 7000 },
  setupMs: 310,
};

describe('route line', () => {
  it('names the tunnel, both candidates and the setup time', () => {
    assert.equal(formatRoute('alice/web', direct), 'alice/web: direct host 10.0.0.1:5000 <-> srflx 198.51.100.7:6000 (setup 42 ms)');
  });
  it('brackets IPv6 addresses and adds the route it replaced', () => {
    assert.equal(
      formatRoute('bob -> alice', direct, relayed),
      'bob -> alice: direct host 10.0.0.1:5000 <-> srflx 198.51.100.7:6000 (setup 42 ms) [was relay relay [2001:db8::1]:49152 <-> host 192.168.1.2:7000]',
    );
  });
});
