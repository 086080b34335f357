/**
 * PresenceView driven directly: lookups and presence events update what a peer
 * knows, a name that moves to another key replaces the old holder, and the
 * targets kept for re-subscription are bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerInfo } from '../protocol/messages.js';
import { PresenceView } from './presence-view.js';

const p = (id: string, name: string): PeerInfo => ({ peerId: id.repeat(40), name, publicKey: Buffer.alloc(32, id.charCodeAt(0)).toString('base64') });

describe('presence view', () => {
  it('a lookup answer makes a peer known (a join to emit once), offline forgets it', () => {
    const v = new PresenceView();
    v.watch('alice');
    assert.deepEqual(v.lookup([{ target: 'alice', peer: p('a', 'alice') }]), [p('a', 'alice')]);
    assert.deepEqual(v.lookup([{ target: 'alice', peer: p('a', 'alice') }]), []);
    assert.equal(v.byName('alice')?.peerId, 'a'.repeat(40));
    v.lookup([{ target: 'alice' }]);
    assert.equal(v.byName('alice'), undefined);
  });

  it('join, update (keeps NAT info for punch planning) and leave', () => {
    const v = new PresenceView();
    assert.equal(v.presence('join', p('a', 'alice')), 'join');
    const nat = { natted: true, mapping: 'endpoint-independent', filtering: 'address-dependent' } as const;
    assert.equal(v.presence('update', { ...p('a', 'alice'), nat }), undefined);
    assert.deepEqual(v.byId('a'.repeat(40))?.nat, nat);
    assert.equal(v.presence('leave', p('a', 'alice')), 'leave');
    assert.equal(v.byId('a'.repeat(40)), undefined);
  });

  it('a name taken by another key replaces the old holder', () => {
    const v = new PresenceView();
    v.presence('join', p('a', 'alice'));
    v.presence('join', p('b', 'alice'));
    assert.equal(v.byName('alice')?.peerId, 'b'.repeat(40));
    assert.equal(v.peers().length, 1);
  });

  it('a signal from a peer makes it known and watched', () => {
    const v = new PresenceView();
    v.signalFrom(p('c', 'carol'));
    assert.deepEqual(v.targets(), ['c'.repeat(40)]);
    assert.equal(v.byName('carol')?.peerId, 'c'.repeat(40));
  });

  it('a reset (re-registration) forgets who was online but keeps the targets', () => {
    const v = new PresenceView();
    v.watch('alice');
    v.lookup([{ target: 'alice', peer: p('a', 'alice') }]);
    v.reset();
    assert.equal(v.byName('alice'), undefined);
    assert.deepEqual(v.targets(), ['alice']);
  });

  it('keeps at most the bound of targets, forgetting what the dropped ones told', () => {
    const v = new PresenceView(2);
    v.signalFrom(p('a', 'alice'));
    v.watch('bob');
    v.watch('carol');
    assert.deepEqual(v.targets(), ['bob', 'carol']);
    assert.equal(v.byId('a'.repeat(40)), undefined);
  });
});
