import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IpLimiter } from './limits.js';
import { FdWatch, connectionCap, fdUsage, FD_RESERVE } from './fd-watch.js';

const LIMITS = { maxConnsPerIp: 3, registrationsPerIpPerMin: 60, registrationBurstPerIp: 2 };

describe('IpLimiter', () => {
  it('caps connections per IP, each IP on its own, and frees a slot on close', () => {
    const l = new IpLimiter(LIMITS);
    for (let i = 0; i < 3; i++) assert.ok(l.openConn('198.51.100.1'));
    assert.equal(l.openConn('198.51.100.1'), false);
    assert.ok(l.openConn('198.51.100.2'));
    l.closeConn('198.51.100.1');
    assert.ok(l.openConn('198.51.100.1'));
    assert.equal(l.connsOf('198.51.100.1'), 3);
  });

  it('limits registrations per IP; closing and reopening does not reset the bucket', () => {
    let t = 0;
    const l = new IpLimiter(LIMITS, () => t);
    l.openConn('198.51.100.1');
    assert.ok(l.register('198.51.100.1'));
    assert.ok(l.register('198.51.100.1'));
    assert.equal(l.register('198.51.100.1'), false);
    l.closeConn('198.51.100.1');
    l.openConn('198.51.100.1');
    assert.equal(l.register('198.51.100.1'), false);
    t += 1000; // 60/min = one a second
    assert.ok(l.register('198.51.100.1'));
  });

  it('forgets an IP once it has no connection and its bucket has refilled (bounded state)', () => {
    let t = 0;
    const l = new IpLimiter(LIMITS, () => t);
    l.openConn('198.51.100.1');
    l.register('198.51.100.1');
    l.closeConn('198.51.100.1');
    assert.equal(l.size, 1);
    t += 1999;
    l.sweep();
    assert.equal(l.size, 1);
    t += 1;
    l.sweep();
    assert.equal(l.size, 0);
    l.openConn('198.51.100.9');
    l.closeConn('198.51.100.9');
    assert.equal(l.size, 0);
  });

  it('0 means no limit', () => {
    const l = new IpLimiter({ maxConnsPerIp: 0, registrationsPerIpPerMin: 0, registrationBurstPerIp: 0 });
    for (let i = 0; i < 1000; i++) assert.ok(l.openConn('127.0.0.1') && l.register('127.0.0.1'));
  });
});

describe('file descriptors', () => {
  it('reads this process usage and leaves a reserve under the limit', () => {
    const u = fdUsage();
    assert.ok(u && u.open > 0 && u.limit > u.open);
    assert.equal(connectionCap({ open: 10, limit: 1024 }), 1024 - FD_RESERVE);
  });

  it('warns above 80 % at most once a minute', () => {
    const warned: string[] = [];
    let t = 0;
    let usage = { open: 700, limit: 1000 };
    const w = new FdWatch((m) => warned.push(m), () => usage, () => t);
    w.check();
    assert.equal(warned.length, 0);
    usage = { open: 850, limit: 1000 };
    w.check();
    w.check();
    assert.equal(warned.length, 1);
    t += 60_000;
    w.dropped('198.51.100.1');
    assert.equal(warned.length, 2);
    assert.match(warned[1]!, /refused/);
  });
});
