import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { HandshakeDeadline } from './listener.js';

interface FakeSocket {
  destroyed: boolean;
  destroyCalls: number;
  destroy(): void;
}

function socket(): FakeSocket {
  const s: FakeSocket = { destroyed: false, destroyCalls: 0, destroy: () => ((s.destroyed = true), s.destroyCalls++) };
  return s;
}
const asSocket = (s: FakeSocket): Socket => s as unknown as Socket;

describe('HandshakeDeadline', () => {
  it('destroys a connection still without a handshake at its deadline, not one that completed it', () => {
    let t = 0;
    const d = new HandshakeDeadline(1000, () => t);
    try {
      const slow = socket();
      const upgraded = socket();
      d.add(asSocket(slow));
      d.add(asSocket(upgraded));
      t = 999;
      d.sweep();
      assert.equal(slow.destroyCalls, 0, 'not before the deadline');
      d.done(asSocket(upgraded));
      t = 1000;
      d.sweep();
      assert.equal(slow.destroyCalls, 1);
      assert.equal(upgraded.destroyCalls, 0);
      assert.equal(d.size, 0, 'nothing is kept once a connection is settled');
    } finally {
      d.close();
    }
  });

  it('forgets connections that closed by themselves', () => {
    let t = 0;
    const d = new HandshakeDeadline(1000, () => t);
    try {
      const gone = socket();
      d.add(asSocket(gone));
      gone.destroyed = true;
      d.sweep();
      assert.equal(d.size, 0);
      assert.equal(gone.destroyCalls, 0);
    } finally {
      d.close();
    }
  });
});
