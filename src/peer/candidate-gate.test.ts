/**
 * CandidateGate driven directly (mocked timers, no PeerConnection): the offerer
 * adds candidates once the answer is applied; the answerer holds them until the
 * ack or the ACK_FALLBACK_MS fallback; at most MAX_HELD_CANDIDATES held from the
 * peer; our own punched candidate held regardless; nothing after stop.
 */
import { describe, it, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ACK_FALLBACK_MS, CandidateGate, MAX_HELD_CANDIDATES } from './candidate-gate.js';

function gate(role: 'offerer' | 'answerer'): { g: CandidateGate; added: string[] } {
  const added: string[] = [];
  return { g: new CandidateGate(role, (c, mid) => added.push(`${c}/${mid}`)), added };
}

describe('candidate gate', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  it('offerer: holds candidates until the answer is applied and flushed, then adds them at once', () => {
    const { g, added } = gate('offerer');
    g.offer('c1', '0');
    g.offer('c2', '0');
    assert.deepEqual(added, []);
    g.descriptionApplied();
    assert.deepEqual(added, [], 'nothing added before the flush (the ack goes out first)');
    g.flush();
    assert.deepEqual(added, ['c1/0', 'c2/0']);
    g.offer('c3', '1');
    assert.deepEqual(added, ['c1/0', 'c2/0', 'c3/1']);
    g.acked(); // an offerer ignores acks
    assert.equal(added.length, 3);
  });

  it('answerer: an applied offer is not enough; the ack releases the held candidates, once', () => {
    const { g, added } = gate('answerer');
    g.offer('c1', '0');
    g.descriptionApplied();
    g.offer('c2', '0');
    g.answerSent();
    assert.deepEqual(added, []);
    g.acked();
    assert.deepEqual(added, ['c1/0', 'c2/0']);
    g.offer('c3', '0');
    assert.deepEqual(added, ['c1/0', 'c2/0', 'c3/0']);
    g.acked();
    mock.timers.tick(ACK_FALLBACK_MS * 2);
    assert.equal(added.length, 3, 'a second ack or the cancelled fallback adds nothing again');
  });

  it('answerer: a lost ack is replaced by the fallback ACK_FALLBACK_MS after the answer', () => {
    const { g, added } = gate('answerer');
    g.descriptionApplied();
    g.offer('c1', '0');
    g.answerSent();
    mock.timers.tick(ACK_FALLBACK_MS - 1);
    assert.deepEqual(added, []);
    mock.timers.tick(1);
    assert.deepEqual(added, ['c1/0']);
    g.offer('c2', '0');
    assert.deepEqual(added, ['c1/0', 'c2/0']);
  });

  it('holds at most MAX_HELD_CANDIDATES from the peer, but always our own punched candidate', () => {
    const { g, added } = gate('offerer');
    for (let i = 0; i < MAX_HELD_CANDIDATES + 10; i++) g.offer(`c${i}`, '0');
    g.hold('punch', '0');
    g.descriptionApplied();
    g.flush();
    assert.equal(added.length, MAX_HELD_CANDIDATES + 1);
    assert.equal(added[MAX_HELD_CANDIDATES - 1], `c${MAX_HELD_CANDIDATES - 1}/0`);
    assert.equal(added.at(-1), 'punch/0');
  });

  it('stop cancels the fallback', () => {
    const { g, added } = gate('answerer');
    g.descriptionApplied();
    g.offer('c1', '0');
    g.answerSent();
    g.stop();
    mock.timers.tick(ACK_FALLBACK_MS * 2);
    assert.deepEqual(added, []);
  });
});
