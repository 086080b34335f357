import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, serviceFromLabel, streamLabel, udpLabel, udpServiceFromLabel } from './frames.js';
import { parseServiceSpec } from './expose.js';
import { parseListen, parseTarget } from './connect.js';

describe('tunnel frames and labels', () => {
  it('round-trips control frames and rejects junk', () => {
    for (const f of [{ t: 'credit', n: 1024 }, { t: 'fin' }, { t: 'done' }, { t: 'rst', reason: 'x' }, { t: 'err', code: 'unknown-service', message: 'm' }] as const) {
      assert.deepEqual(decodeFrame(encodeFrame(f)), f);
    }
    for (const junk of ['', '{', '{"t":"credit","n":-1}', '{"t":"credit","n":1.5}', '{"t":"launch"}', 'x'.repeat(5000), '[]']) {
      assert.equal(decodeFrame(junk), undefined, junk.slice(0, 20));
    }
  });
  it('maps services to labels and back, refusing odd names', () => {
    assert.equal(serviceFromLabel(streamLabel('web')), 'web');
    assert.equal(serviceFromLabel('p2prc-ctl'), undefined);
    assert.equal(serviceFromLabel('tcp/../etc'), undefined);
    assert.equal(serviceFromLabel('tcp/'), undefined);
  });
  it('keeps UDP session labels apart from stream labels', () => {
    assert.equal(udpServiceFromLabel(udpLabel('dns')), 'dns');
    assert.notEqual(udpLabel('dns'), streamLabel('dns'));
    // Neither kind of label is ever read as the other.
    assert.equal(serviceFromLabel(udpLabel('dns')), undefined);
    assert.equal(udpServiceFromLabel(streamLabel('dns')), undefined);
    assert.equal(udpServiceFromLabel('udp/'), undefined);
    assert.equal(udpServiceFromLabel('udp/../x'), undefined);
    assert.equal(udpServiceFromLabel('p2prc-ctl'), undefined);
    assert.equal(udpServiceFromLabel('UDP/dns'), undefined);
  });
  it('parses service, target and listen specs', () => {
    assert.deepEqual(parseServiceSpec('web=8080'), ['web', { host: '127.0.0.1', port: 8080, type: 'tcp' }]);
    assert.deepEqual(parseServiceSpec('db=10.0.0.5:5432'), ['db', { host: '10.0.0.5', port: 5432, type: 'tcp' }]);
    assert.deepEqual(parseServiceSpec('v6=[::1]:22'), ['v6', { host: '::1', port: 22, type: 'tcp' }]);
    assert.deepEqual(parseServiceSpec('dns=53/udp'), ['dns', { host: '127.0.0.1', port: 53, type: 'udp' }]);
    assert.deepEqual(parseServiceSpec('dns=10.0.0.5:5353/udp'), ['dns', { host: '10.0.0.5', port: 5353, type: 'udp' }]);
    assert.deepEqual(parseServiceSpec('q=[::1]:4433/udp'), ['q', { host: '::1', port: 4433, type: 'udp' }]);
    assert.deepEqual(parseServiceSpec('web=host.lan:80/tcp'), ['web', { host: 'host.lan', port: 80, type: 'tcp' }]);
    assert.throws(() => parseServiceSpec('web'), /expected name=port/);
    assert.throws(() => parseServiceSpec('web=70000'), /bad port/);
    assert.throws(() => parseServiceSpec('dns=53/sctp'), /expected name=port/);
    assert.throws(() => parseServiceSpec('dns=53/'), /expected name=port/);
    assert.throws(() => parseServiceSpec('dns=53/UDP'), /expected name=port/);
    assert.throws(() => parseServiceSpec('dns=a/b:53'), /expected name=port/);
    assert.throws(() => parseServiceSpec('dns=0/udp'), /bad port/);
    assert.deepEqual(parseTarget('alice/web'), { peer: 'alice', service: 'web' });
    assert.throws(() => parseTarget('alice'), /peer\/service/);
    assert.deepEqual(parseListen('9000'), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseListen('0.0.0.0:9000'), { host: '0.0.0.0', port: 9000 });
    assert.throws(() => parseListen('x:y'), /bad listen/);
  });
});
