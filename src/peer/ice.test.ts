import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { candidateAddress, candidateType, describeRoute, dtlsClientOffer, parseIceUrl, relayOnlySdp, routeKind, srflxCandidate, toNdcIceServers } from './ice.js';

describe('ICE helpers', () => {
  it('parses STUN and TURN URLs into node-datachannel servers', () => {
    assert.deepEqual(parseIceUrl('stun:203.0.113.1:3478'), { hostname: '203.0.113.1', port: 3478 });
    assert.deepEqual(parseIceUrl('stun:example.org'), { hostname: 'example.org', port: 3478 });
    assert.deepEqual(parseIceUrl('turn:203.0.113.1:3479?transport=tcp', 'u:1', 'p'), { hostname: '203.0.113.1', port: 3479, relayType: 'TurnTcp', username: 'u:1', password: 'p' });
    assert.deepEqual(parseIceUrl('turns:[2001:db8::1]'), { hostname: '2001:db8::1', port: 5349, relayType: 'TurnTls' });
    assert.throws(() => parseIceUrl('http://x'), /bad ICE server URL/);
    assert.equal(toNdcIceServers([{ urls: ['stun:a:1', 'turn:b:2'], username: 'u', credential: 'c' }]).length, 2);
  });
  it('takes the DTLS client role in an offer, touching nothing else', () => {
    const offer = 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:actpass\r\na=fingerprint:sha-256 AB:CD\r\n';
    assert.equal(dtlsClientOffer(offer), offer.replace('a=setup:actpass', 'a=setup:active'));
    assert.equal(dtlsClientOffer('a=setup:actpass\n'), 'a=setup:active\n');
    const answer = 'a=setup:passive\r\na=x-setup:actpass\r\n';
    assert.equal(dtlsClientOffer(answer), answer);
  });
  it('names the route kind from the selected pair', () => {
    assert.equal(routeKind('host', 'prflx'), 'direct');
    assert.equal(routeKind('srflx', 'relay'), 'relay');
    assert.equal(
      describeRoute({ kind: 'direct', local: { type: 'host', address: '127.0.0.1', port: 5 }, remote: { type: 'host', address: '::1', port: 6 } }),
      'direct host 127.0.0.1:5 <-> host [::1]:6',
    );
  });
  it('writes our own srflx candidate lines (router port mapping, punched port) byte for byte', () => {
    assert.equal(srflxCandidate('upnp1', '203.0.113.9', 41000, 45000), 'a=candidate:upnp1 1 UDP 1694498815 203.0.113.9 41000 typ srflx raddr 0.0.0.0 rport 45000');
    assert.equal(srflxCandidate('punch1', '198.51.100.2', 40211, 0), 'a=candidate:punch1 1 UDP 1694498815 198.51.100.2 40211 typ srflx raddr 0.0.0.0 rport 0');
  });

  it('keeps only relay candidates in a relay-only SDP', () => {
    const sdp = [
      'v=0\r\n',
      'a=candidate:1 1 UDP 2122317823 192.0.2.10 50000 typ host\r\n',
      'a=candidate:2 1 UDP 1686052607 198.51.100.7 40000 typ srflx raddr 192.0.2.10 rport 50000\r\n',
      'a=candidate:3 1 UDP 16777215 203.0.113.1 60000 typ relay raddr 198.51.100.7 rport 40000\r\n',
      'a=end-of-candidates\r\n',
    ].join('');
    const out = relayOnlySdp(sdp);
    assert.doesNotMatch(out, /192\.0\.2\.10 50000|198\.51\.100\.7 40000 typ/);
    assert.match(out, /typ relay/);
    assert.match(out, /^v=0\r\n/);
    assert.match(out, /a=end-of-candidates\r\n$/);
    assert.equal(candidateType('a=candidate:9 1 UDP 1 192.0.2.1 1 typ prflx'), 'prflx');
    assert.equal(candidateType('a=end-of-candidates'), undefined);
  });

  it('reads a candidate line\'s transport address', () => {
    assert.deepEqual(candidateAddress('a=candidate:2 1 UDP 16777215 203.0.113.1 50832 typ relay raddr 0.0.0.0 rport 0'), { address: '203.0.113.1', port: 50832 });
    assert.deepEqual(candidateAddress('candidate:1 1 udp 2122317823 192.0.2.10 50000 typ host'), { address: '192.0.2.10', port: 50000 });
    assert.equal(candidateAddress('a=candidate:1 1 UDP 1 192.0.2.1 0 typ host'), undefined);
    assert.equal(candidateAddress('a=end-of-candidates'), undefined);
  });
});
