import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFrame, encodeFrame, serviceFromLabel, streamLabel } from './frames.js';
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
  it('parses service, target and listen specs', () => {
    assert.deepEqual(parseServiceSpec('web=8080'), ['web', { host: '127.0.0.1', port: 8080 }]);
    assert.deepEqual(parseServiceSpec('db=10.0.0.5:5432'), ['db', { host: '10.0.0.5', port: 5432 }]);
    assert.deepEqual(parseServiceSpec('v6=[::1]:22'), ['v6', { host: '::1', port: 22 }]);
    assert.throws(() => parseServiceSpec('web'), /expected name=port/);
    assert.throws(() => parseServiceSpec('web=70000'), /bad port/);
    assert.deepEqual(parseTarget('alice/web'), { peer: 'alice', service: 'web' });
    assert.throws(() => parseTarget('alice'), /peer\/service/);
    assert.deepEqual(parseListen('9000'), { host: '127.0.0.1', port: 9000 });
    assert.deepEqual(parseListen('0.0.0.0:9000'), { host: '0.0.0.0', port: 9000 });
    assert.throws(() => parseListen('x:y'), /bad listen/);
  });
});
