import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatNatLine, formatNatReport, formatRoute, formatSetup } from './format.js';
import type { NatReport } from '../nat/detect.js';
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
  it('lists the setup phases when the route carries them', () => {
    const phases = { lookupMs: 3.2, signalMs: 10, iceMs: 12.4, dtlsMs: 8, sctpMs: 5, controlMs: 0.1, totalMs: 38.7, at: {}, startEpochMs: 0 };
    assert.equal(
      formatRoute('alice/web', { ...direct, phases }),
      'alice/web: direct host 10.0.0.1:5000 <-> srflx 198.51.100.7:6000 (setup 42 ms; lookup 3, signal 10, ice 12, dtls 8, sctp 5, control 0 ms)',
    );
    assert.equal(formatSetup('alice/web', { ...phases, streamMs: 4, firstByteMs: 1, totalMs: 43.7 }), 'alice/web: 44 ms to the first byte (lookup 3, signal 10, ice 12, dtls 8, sctp 5, control 0, stream 4, first byte 1 ms)');
  });
  it('brackets IPv6 addresses and adds the route it replaced', () => {
    assert.equal(
      formatRoute('bob -> alice', direct, relayed),
      'bob -> alice: direct host 10.0.0.1:5000 <-> srflx 198.51.100.7:6000 (setup 42 ms) [was relay relay [2001:db8::1]:49152 <-> host 192.168.1.2:7000]',
    );
  });
});

const natted: NatReport = {
  server: '203.0.113.1:3478',
  local: { address: '192.168.1.20', port: 40001 },
  publicAddress: { address: '198.51.100.7', port: 61000 },
  natted: true,
  mapping: 'endpoint-independent',
  filtering: 'address-and-port-dependent',
  hairpin: false,
  behaviourDiscovery: true,
  classic: 'port-restricted cone',
  meaning: ['Direct connections work with most peers.', 'Two port-restricted peers punch through.'],
};

describe('NAT report', () => {
  it('lines up every finding, the router port mapping and then the meaning', () => {
    const text = formatNatReport(natted, { upnp: { available: true, externalAddress: '198.51.100.7' }, natpmp: { available: false, error: 'timeout' }, pcp: { available: true } });
    assert.equal(
      text,
      [
        'STUN server      203.0.113.1:3478',
        'local address    192.168.1.20:40001',
        'public address   198.51.100.7:61000',
        'mapping          endpoint-independent',
        'filtering        address-and-port-dependent',
        'hairpinning      no',
        'type             port-restricted cone',
        'UPnP IGD         available (external 198.51.100.7)',
        'NAT-PMP          not available (timeout)',
        'PCP              available',
        '',
        'Direct connections work with most peers.',
        'Two port-restricted peers punch through.',
      ].join('\n'),
    );
  });
  it('says what was not learned: no NAT, unknown public address, hairpin not tested, no port-mapping check', () => {
    const lines = formatNatReport({ ...natted, natted: false, publicAddress: undefined, hairpin: undefined, meaning: [] }, undefined).split('\n');
    assert.equal(lines[2], 'public address   unknown (no NAT)');
    assert.equal(lines[5], 'hairpinning      n/a');
    assert.equal(lines[7], 'UPnP IGD         not checked (--no-portmap)');
    assert.equal(lines[8], 'NAT-PMP          not checked (--no-portmap)');
    assert.equal(lines[9], 'PCP              not checked (--no-portmap)');
    assert.equal(lines.length, 11);
  });
  it('falls back to "no answer" when a protocol failed without a reason, and to "available" without an address', () => {
    const lines = formatNatReport({ ...natted, hairpin: true }, { upnp: { available: false }, natpmp: { available: true }, pcp: { available: false } }).split('\n');
    assert.equal(lines[5], 'hairpinning      yes');
    assert.equal(lines[7], 'UPnP IGD         not available (no answer)');
    assert.equal(lines[8], 'NAT-PMP          available');
  });
});

describe('start-up NAT line', () => {
  it('names the public address and the NAT type with its behaviours', () => {
    assert.equal(formatNatLine(natted), 'nat 198.51.100.7:61000: port-restricted cone (mapping endpoint-independent, filtering address-and-port-dependent)');
  });
  it('says why the type is unknown when the server cannot discover behaviour, and ? without a public address', () => {
    assert.equal(formatNatLine({ ...natted, publicAddress: undefined, behaviourDiscovery: false }), 'nat ?: behaviour unknown (the server has no --alt-ip: no port prediction)');
  });
});
