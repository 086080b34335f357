import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { formatIp, ipFamily, parseIp, unmapIPv4 } from './ip.js';

test('parseIp / formatIp round trip canonical forms', () => {
  for (const a of [
    '0.0.0.0', '192.0.2.1', '255.255.255.255', '::', '::1', '2001:db8::1', 'fe80::1:2:3:4',
    '2001:db8:1234:5678:11:2233:4455:6677', '::ffff:192.0.2.9', '::1.2.3.4', '1:0:2:0:3:0:4:0', '1::', '1:2:3:4:5:6:7:0', '1:2:3:4:5:6::',
    '2001:db8:0:1:1:1:1:1', '1:0:0:2::3', '1::2:0:0:3',
  ]) {
    const b = parseIp(a);
    assert.ok(b, a);
    assert.equal(formatIp(b), a);
  }
  assert.equal(formatIp(parseIp('2001:0DB8:0000:0000:0001:0000:0000:0001')!), '2001:db8::1:0:0:1');
  assert.equal(formatIp(parseIp('1:2:3:4:5:6:7::')!), '1:2:3:4:5:6:7:0'); // a single zero group is not compressed
  assert.equal(formatIp(parseIp('fe80::1%eth0')!), 'fe80::1');
  assert.equal(formatIp(parseIp('[::1]')!), '::1');
  assert.equal(formatIp(parseIp('::ffff:7f00:1')!), '::ffff:127.0.0.1');
  assert.equal(ipFamily('10.0.0.1'), 'IPv4');
  assert.equal(ipFamily('::'), 'IPv6');
  assert.equal(ipFamily('nope'), undefined);
  assert.equal(unmapIPv4('::ffff:10.1.2.3'), '10.1.2.3');
  assert.equal(unmapIPv4('::10.1.2.3'), undefined);
  assert.equal(unmapIPv4('10.1.2.3'), undefined);
});

test('parseIp rejects non-literals', () => {
  for (const a of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.04', '01.2.3.4', ' 1.2.3.4', '1:2:3:4:5:6:7:8:9', ':::', '1::2::3',
    '12345::', 'g::', '1:2:3:4:5:6:7', '::1.2.3', '1.2.3.4::', 'localhost', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', 'x'.repeat(100)]) {
    assert.equal(parseIp(a), undefined, a);
  }
  assert.throws(() => formatIp(Buffer.alloc(5)), RangeError);
});

test('parseIp agrees with net.isIP and formatIp with Node (libuv) on random addresses', () => {
  let s = 0x12345678;
  const rnd = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), s >>> 0);
  for (let n = 0; n < 3000; n++) {
    const b = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) {
      // Bias towards zero words so compression and the IPv4 forms get exercised.
      b[i] = rnd() % 3 === 0 ? rnd() & 0xff : 0;
    }
    if (n % 7 === 0) b.fill(0, 0, 10), b.fill(0xff, 10, 12);
    const full = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2).toString(16)).join(':');
    assert.equal(net.isIPv6(full), true);
    const node = new net.SocketAddress({ address: full, family: 'ipv6' }).address;
    assert.equal(formatIp(b), node, full);
    assert.deepEqual(parseIp(node), b);
    const v4 = b.subarray(0, 4);
    const v4s = formatIp(v4);
    assert.equal(net.isIPv4(v4s), true);
    assert.deepEqual(parseIp(v4s), v4);
  }
});
