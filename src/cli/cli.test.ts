import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteSeedFlags } from './seed-flags.js';
import { humanBytes, table } from './format.js';

describe('seed flags', () => {
  it('maps the seed document flags to subcommands', () => {
    assert.deepEqual(rewriteSeedFlags(['-s', '--reverse-proxy', '--port', '9']), ['server', '--port', '9']);
    assert.deepEqual(rewriteSeedFlags(['-s', '--connect-reverse-proxy', '203.0.113.7:8088', 'web=80']), ['expose', '--server', 'ws://203.0.113.7:8088', 'web=80']);
    assert.deepEqual(rewriteSeedFlags(['--connect-reverse-proxy', 'ws://h:1', 'web=80', '--name', 'a']), ['expose', '--server', 'ws://h:1', 'web=80', '--name', 'a']);
    assert.deepEqual(rewriteSeedFlags(['--view-rpm', '--json']), ['view-rpm', '--json']);
    assert.deepEqual(rewriteSeedFlags(['--view-reverse-proxy-servers']), ['view-rps']);
    assert.deepEqual(rewriteSeedFlags(['connect', 'a/b']), ['connect', 'a/b']);
  });
  it('formats tables and sizes', () => {
    assert.equal(humanBytes(0), '0 B');
    assert.equal(humanBytes(1536), '1.5 KiB');
    assert.equal(table(['a', 'bb'], [['xyz', '1']]), 'a    bb\n---  --\nxyz  1');
  });
});
