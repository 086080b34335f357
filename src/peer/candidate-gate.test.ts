/**
 * CandidateGate driven directly (mocked timers, no PeerConnection): the offerer
 * adds candidates once the answer is applied; the answerer holds them until the
 * ack or the ACK_FALLBACK_MS fallback, or not at all after a DTLS-client offer;
 * late candidates after the early ones; at most MAX_HELD_CANDIDATES held from the
 * peer; our own punched candidate held regardless; nothing after stop.
 */
import { describe, it, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ACK_FALLBACK_MS, CandidateGate, LATE_DELAY_MS, LATE_MAX_HOLD_MS, MAX_HELD_CANDIDATES } from './candidate-gate.js';

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

  it('answerer of an offerer that is the DTLS client: still waits for the ack', () => {
    const { g, added } = gate('answerer');
    g.offer('c1', '0');
    g.descriptionApplied();
    g.answerSent();
    assert.deepEqual(added, []);
    g.acked();
    assert.deepEqual(added, ['c1/0']);
  });

  it('adds late candidates LATE_DELAY_MS after the first early one', () => {
    const added: string[] = [];
    const g = new CandidateGate('offerer', (c) => added.push(c), { late: (c) => c.startsWith('late') });
    g.offer('late-host', '0');
    g.offer('early-srflx', '0');
    g.descriptionApplied();
    g.flush();
    assert.deepEqual(added, ['early-srflx']);
    g.offer('late-relay', '0');
    g.offer('early-prflx', '0');
    assert.deepEqual(added, ['early-srflx', 'early-prflx']);
    mock.timers.tick(LATE_DELAY_MS - 1);
    assert.equal(added.length, 2);
    mock.timers.tick(1);
    assert.deepEqual(added, ['early-srflx', 'early-prflx', 'late-host', 'late-relay']);
    g.offer('late-2', '0'); // once released, late ones go at once
    assert.equal(added.at(-1), 'late-2');
  });

  it('adds late candidates LATE_MAX_HOLD_MS after the gate opened when no early one comes', () => {
    const added: string[] = [];
    const g = new CandidateGate('answerer', (c) => added.push(c), { late: () => true });
    g.offer('late-host', '0');
    g.descriptionApplied();
    g.answerSent();
    g.acked();
    assert.deepEqual(added, []);
    mock.timers.tick(LATE_MAX_HOLD_MS);
    assert.deepEqual(added, ['late-host']);
  });

  it('releases the late candidates at once when told (a peer behind our own NAT)', () => {
    const added: string[] = [];
    const g = new CandidateGate('offerer', (c) => added.push(c), { late: (c) => c.startsWith('late') });
    g.offer('late-host', '0');
    g.descriptionApplied();
    g.flush();
    assert.ok(g.holdingLate);
    g.releaseLate();
    assert.deepEqual(added, ['late-host']);
    assert.ok(!g.holdingLate);
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
