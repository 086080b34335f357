import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proxyUrl, rewriteSeedFlags } from './seed-flags.js';
import { humanBytes, table } from './format.js';

describe('seed flags', () => {
  it('maps the seed document flags to subcommands', () => {
    assert.deepEqual(rewriteSeedFlags(['-s', '--reverse-proxy', '--port', '9']), ['server', '--reverse-proxy', '--port', '9']);
    assert.deepEqual(rewriteSeedFlags(['-s', '--connect-reverse-proxy', '203.0.113.7:8088', 'web=80']), ['expose', '--public', '--server', 'ws://203.0.113.7:8088', 'web=80']);
    assert.deepEqual(rewriteSeedFlags(['--connect-reverse-proxy', 'ws://h:1', 'web=80', '--name', 'a']), ['expose', '--public', '--server', 'ws://h:1', 'web=80', '--name', 'a']);
    assert.deepEqual(rewriteSeedFlags(['--view-rpm', '--json']), ['view-rpm', '--json']);
    assert.deepEqual(rewriteSeedFlags(['--view-reverse-proxy-servers']), ['view-rps']);
    assert.deepEqual(rewriteSeedFlags(['connect', 'a/b']), ['connect', 'a/b']);
    assert.deepEqual(rewriteSeedFlags(['server', '--reverse-proxy']), ['server', '--reverse-proxy']);
    assert.deepEqual(rewriteSeedFlags(['--json', 'server', '--reverse-proxy']), ['--json', 'server', '--reverse-proxy']);
    assert.deepEqual(rewriteSeedFlags(['--json', '-s', '--reverse-proxy']), ['server', '--reverse-proxy', '--json']);
    assert.deepEqual(rewriteSeedFlags(['expose', '--connect-reverse-proxy', 'x']), ['expose', '--connect-reverse-proxy', 'x']);
  });
  it('takes the seed\'s proxy address as the seed writes it: a bare IP or host gets the default signalling port', () => {
    assert.equal(proxyUrl('203.0.113.7'), 'ws://203.0.113.7:8088');
    assert.equal(proxyUrl('proxy.example'), 'ws://proxy.example:8088');
    assert.equal(proxyUrl('203.0.113.7:9000'), 'ws://203.0.113.7:9000');
    assert.equal(proxyUrl('2001:db8::1'), 'ws://[2001:db8::1]:8088');
    assert.equal(proxyUrl('[2001:db8::1]:9000'), 'ws://[2001:db8::1]:9000');
    assert.equal(proxyUrl('[2001:db8::1]'), 'ws://[2001:db8::1]:8088');
    assert.equal(proxyUrl('wss://p.example'), 'wss://p.example');
    assert.equal(proxyUrl('auto'), 'auto');
  });
  it('formats tables and sizes', () => {
    assert.equal(humanBytes(0), '0 B');
    assert.equal(humanBytes(1536), '1.5 KiB');
    assert.equal(table(['a', 'bb'], [['xyz', '1']]), 'a    bb\n---  --\nxyz  1');
  });
});
