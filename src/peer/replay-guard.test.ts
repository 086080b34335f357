/** ReplayGuard: replays, session ids bound to a pair, the bounded memory and its floor, expiry. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayGuard, type SeenDescription } from './replay-guard.js';

const d = (kind: 'offer' | 'answer', sessionId: string, ts: number, signature = `${kind}-${sessionId}-${ts}`): SeenDescription => ({ kind, sessionId, ts, signature });

describe('replay guard', () => {
  it('refuses a signature seen before', () => {
    const g = new ReplayGuard();
    const o = d('offer', 'sess-0001', 1000);
    assert.deepEqual(g.check(o, 'alice', 1000), { ok: true });
    g.record(o, 'alice', 1000);
    const again = g.check(o, 'alice', 2000);
    assert.equal(again.ok, false);
    assert.match((again as { reason: string }).reason, /replayed offer/);
  });

  it('binds a session id to its pair', () => {
    const g = new ReplayGuard();
    g.record(d('offer', 'sess-0001', 1000), 'alice', 1000);
    const other = g.check(d('offer', 'sess-0001', 1001, 'fresh'), 'mallory', 1001);
    assert.match((other as { reason: string }).reason, /session id of another pair/);
    const reused = g.check(d('offer', 'sess-0001', 1001, 'fresh'), 'alice', 1001);
    assert.match((reused as { reason: string }).reason, /reuses an earlier session id/);
    g.claim('mine-0001', 'bob', 1000);
    assert.equal(g.check(d('answer', 'mine-0001', 1002), 'bob', 1002).ok, true);
    assert.match((g.check(d('answer', 'mine-0001', 1002), 'mallory', 1002) as { reason: string }).reason, /answer for a session id of another pair/);
    assert.match((g.check(d('offer', 'mine-0001', 1002), 'bob', 1002) as { reason: string }).reason, /reuses/);
  });

  it('stays bounded, and what it forgot is refused by the floor', () => {
    const g = new ReplayGuard(8, 60_000);
    const first = d('offer', 'sess-first', 100);
    g.record(first, 'p0', 100);
    for (let i = 1; i <= 20; i++) g.record(d('offer', `sess-${i}`, 100 + i), `p${i}`, 100 + i);
    assert.ok(g.size <= 16);
    const r = g.check(first, 'p0', 200);
    assert.equal(r.ok, false, 'the forgotten signature is still refused');
    assert.match((r as { reason: string }).reason, /older than the replay cache remembers/);
    assert.equal(g.check(d('offer', 'sess-new', 500), 'p0', 500).ok, true, 'newer descriptions pass');
  });

  it('forgets entries past the window', () => {
    const g = new ReplayGuard(8, 1000);
    g.record(d('offer', 'sess-0001', 0), 'alice', 0);
    assert.equal(g.size, 2);
    g.check(d('offer', 'sess-0002', 5000), 'alice', 5000);
    assert.equal(g.size, 0);
  });
});
