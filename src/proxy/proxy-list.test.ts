import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProxyListSchema, announceProof, checkAnnounceProof, httpBaseOf, mergeProxies } from './proxy-list.js';

test('proxy list: merged by URL, bounded, what is known stays', () => {
  const a = { name: 'a', url: 'ws://192.0.2.1:8088' };
  const b = { name: 'b', url: 'ws://192.0.2.2:8088/' };
  const merged = mergeProxies([a], [{ name: 'a2', url: 'ws://192.0.2.1:8088/' }, b]);
  assert.deepEqual(merged, [a, { name: 'b', url: 'ws://192.0.2.2:8088' }]);
  const many = Array.from({ length: 100 }, (_, i) => ({ name: `p${i}`, url: `ws://198.51.100.${i}:8088` }));
  assert.equal(mergeProxies([a], many, 10).length, 10);
  assert.deepEqual(mergeProxies([a], many, 10)[0], a);
});

test('proxy list: the schema refuses what is not a signalling URL', () => {
  assert.ok(ProxyListSchema.safeParse({ proxies: [{ name: 'x', url: 'wss://p.example:443' }] }).success);
  for (const url of ['http://x:1', 'ws://x/path', 'ws://x y', 'javascript:alert(1)', 'ws://' + 'a'.repeat(300)]) {
    assert.equal(ProxyListSchema.safeParse({ proxies: [{ name: 'x', url }] }).success, false, url);
  }
  assert.equal(ProxyListSchema.safeParse({ proxies: Array.from({ length: 65 }, () => ({ name: 'x', url: 'ws://x:1' })) }).success, false);
});

test('proxy list: an announcement proves the shared secret; another secret or URL does not verify', () => {
  const p = announceProof('s3cret', 'ws://192.0.2.1:8088');
  assert.ok(checkAnnounceProof('s3cret', 'ws://192.0.2.1:8088/', p));
  assert.equal(checkAnnounceProof('other', 'ws://192.0.2.1:8088', p), false);
  assert.equal(checkAnnounceProof('s3cret', 'ws://192.0.2.9:8088', p), false);
  assert.equal(checkAnnounceProof('s3cret', 'ws://192.0.2.1:8088', 'short'), false);
  assert.equal(httpBaseOf('wss://p.example:443/'), 'https://p.example:443');
  assert.equal(httpBaseOf('ws://192.0.2.1:8088'), 'http://192.0.2.1:8088');
});
