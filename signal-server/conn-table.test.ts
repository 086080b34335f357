/** ConnTable: slots by id, one slot pinged a tick, the silent dropped, the round hook once per round. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnTable, HEARTBEAT_SLOTS } from './conn-table.js';
import type { Conn } from './connection.js';

const fake = (id: number): Conn & { pings: number } => {
  const c = { id, alive: true, pings: 0, ws: { ping: () => c.pings++ } };
  return c as unknown as Conn & { pings: number };
};

describe('connection table', () => {
  it('pings one slot a tick and drops a connection that missed the previous ping', () => {
    const t = new ConnTable();
    const a = fake(0);
    const b = fake(1);
    t.add(a);
    t.add(b);
    const dropped: number[] = [];
    let rounds = 0;
    t.tick((c) => dropped.push(c.id), () => rounds++); // slot 0: a pinged
    assert.deepEqual([a.pings, b.pings, rounds], [1, 0, 1]);
    t.tick((c) => dropped.push(c.id), () => rounds++); // slot 1: b pinged
    assert.deepEqual([a.pings, b.pings, rounds], [1, 1, 1]);
    b.alive = true; // b answered its ping; a did not
    for (let i = 2; i <= HEARTBEAT_SLOTS + 1; i++) t.tick((c) => dropped.push(c.id), () => rounds++);
    assert.deepEqual(dropped, [0]);
    assert.equal(rounds, 2);
    assert.equal(b.pings, 2);
  });

  it('forgets a closed connection once, and drains the rest', () => {
    const t = new ConnTable();
    const conns = [fake(3), fake(153), fake(7)];
    conns.forEach((c) => t.add(c));
    assert.equal(t.delete(conns[0]!), true);
    assert.equal(t.delete(conns[0]!), false, 'already closed');
    assert.deepEqual(t.drain().map((c) => c.id).sort(), [153, 7].sort());
    assert.deepEqual(t.drain(), []);
  });
});
