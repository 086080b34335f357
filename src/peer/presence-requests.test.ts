/**
 * PresenceRequests driven directly: answers reach the right waiters, and every
 * request ends by its timeout or when the connection goes, never waits for ever.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerInfo } from '../protocol/messages.js';
import { PresenceRequests } from './presence-requests.js';

const alice: PeerInfo = { peerId: 'a'.repeat(40), name: 'alice', publicKey: Buffer.alloc(32, 1).toString('base64') };

describe('presence requests', () => {
  it('answers every waiter for a target, and list pages in order', async () => {
    const r = new PresenceRequests('ws://signal.test');
    const a = r.lookup('alice');
    const b = r.lookup('alice');
    const c = r.lookup('bob');
    r.answerLookup({ type: 'lookup', results: [{ target: 'alice', peer: alice }, { target: 'bob' }] });
    assert.deepEqual(await Promise.all([a, b, c]), [alice, alice, undefined]);
    const p1 = r.list();
    const p2 = r.list();
    r.answerList({ type: 'peers', peers: [alice], next: 'b'.repeat(40) });
    r.answerList({ type: 'peers', peers: [] });
    assert.equal((await p1).next, 'b'.repeat(40));
    assert.equal((await p2).next, undefined);
  });

  it('ends unanswered requests at their timeout or when the connection goes', async () => {
    const r = new PresenceRequests('ws://signal.test', 30);
    assert.equal(await r.lookup('alice'), undefined);
    await assert.rejects(r.list(), /did not answer a list page/);
    const r2 = new PresenceRequests('ws://signal.test', 60_000);
    const l = r2.lookup('alice');
    const p = r2.list();
    r2.failAll();
    assert.equal(await l, undefined);
    await assert.rejects(p, /lost the signal server/);
    const q = r2.list();
    r2.refuseList('rate-limited', 'slow down');
    await assert.rejects(q, /refused a list page: slow down/);
  });
});
