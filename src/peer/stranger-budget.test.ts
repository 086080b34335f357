/** StrangerBudget: the per-minute window, refusals counted, the window sliding. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUDGET_WINDOW_MS, StrangerBudget } from './stranger-budget.js';

describe('stranger budget', () => {
  it('accepts up to the budget per minute, then refuses until the window slides', () => {
    const b = new StrangerBudget(3);
    assert.deepEqual([b.take(0), b.take(10), b.take(20), b.take(30), b.take(40)], [true, true, true, false, false]);
    assert.equal(b.refusedSinceLog, 2);
    assert.equal(b.take(BUDGET_WINDOW_MS - 1), false);
    assert.equal(b.take(BUDGET_WINDOW_MS), true, 'the first one left the window');
    assert.equal(b.take(BUDGET_WINDOW_MS + 1), false);
  });

  it('tells as many refused strangers a minute as the budget has sessions, then stays silent', () => {
    const b = new StrangerBudget(2);
    assert.deepEqual([b.tell(0), b.tell(10), b.tell(20)], [true, true, false]);
    assert.equal(b.tell(BUDGET_WINDOW_MS), true, 'the first one left the window');
    assert.equal(b.tell(BUDGET_WINDOW_MS + 1), false);
  });
});
