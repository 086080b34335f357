import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PunchBudget, PUNCH_BUDGET_PER_MIN, PUNCH_COOLDOWN_PEERS, PUNCH_PEER_COOLDOWN_MS } from './punch-budget.js';
import { punchCost } from './punch-plan.js';

describe('punch budget', () => {
  it('charges runs against datagrams per minute and refuses beyond, with the reason', () => {
    const b = new PunchBudget(10_000, 1000, 0);
    assert.equal(b.take(6000, 0), undefined);
    assert.match(b.take(6000, 0) ?? '', /budget spent \(10000 datagrams\/min; 4000 left, a run needs 6000\)/);
    assert.equal(b.available(0), 4000, 'a refused run costs nothing');
    // Refills linearly: 2000 more after 12 s.
    assert.equal(b.available(12_000), 6000);
    assert.equal(b.take(6000, 12_000), undefined);
    // Never above one minute's worth, however long it was idle.
    assert.equal(b.available(10 * 60_000), 10_000);
  });

  it('lets one peer start a punch once per cooldown; other peers and our own runs are not held', () => {
    const b = new PunchBudget(1_000_000, 10_000, 0);
    assert.equal(b.take(10, 0, 'a'), undefined);
    assert.match(b.take(10, 5000, 'a') ?? '', /started a punch 5000 ms ago \(one per 10000 ms\)/);
    assert.equal(b.take(10, 5000, 'b'), undefined, 'another peer');
    assert.equal(b.take(10, 5000), undefined, 'our own connect (no peer id) has no cooldown');
    assert.equal(b.take(10, 10_000, 'a'), undefined, 'after the cooldown');
  });

  it('remembers a bounded number of peers', () => {
    const b = new PunchBudget(Number.MAX_SAFE_INTEGER, 10_000, 0);
    for (let i = 0; i <= PUNCH_COOLDOWN_PEERS; i++) assert.equal(b.take(1, 1, `p${i}`), undefined);
    assert.equal(b.take(1, 2, 'p0'), undefined, 'the oldest was forgotten');
    assert.ok(b.take(1, 2, `p${PUNCH_COOLDOWN_PEERS}`), 'the newest is still held');
  });

  it('the defaults allow a few full runs a minute, not a sweep', () => {
    assert.equal(PUNCH_PEER_COOLDOWN_MS, 10_000);
    const easyRuns = Math.floor(PUNCH_BUDGET_PER_MIN / punchCost('easy'));
    const hardRuns = Math.floor(PUNCH_BUDGET_PER_MIN / punchCost('hard'));
    assert.ok(easyRuns >= 4 && easyRuns <= 6, `${easyRuns} easy runs/min`);
    assert.ok(hardRuns >= 8 && hardRuns <= 12, `${hardRuns} hard runs/min`);
  });
});
