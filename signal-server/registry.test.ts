/**
 * Registry paging: `list` pages by peer id with a stateless cursor; a peer that
 * joins or leaves between pages moves no other peer across pages.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PeerInfo } from '../src/protocol/messages.js';
import { Registry } from './registry.js';

const peer = (i: number): PeerInfo => ({ peerId: (i * 7919).toString(16).padStart(40, '0'), name: `p${i}`, publicKey: Buffer.alloc(32, i).toString('base64') });

describe('registry pages', () => {
  it('pages through every peer once, in id order, skipping the asker', () => {
    const r = new Registry();
    for (let i = 0; i < 250; i++) r.add(peer(i), {});
    const self = peer(17).peerId;
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const p = r.page(cursor, 100, self);
      assert.ok(p.peers.length <= 100);
      seen.push(...p.peers.map((x) => x.peerId));
      cursor = p.next;
      if (!cursor) break;
    }
    assert.equal(cursor, undefined);
    assert.equal(seen.length, 249);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(seen.includes(self), false);
  });

  it('keeps the order under churn between pages, and a re-added id is not listed twice', () => {
    const r = new Registry();
    for (let i = 0; i < 10; i++) r.add(peer(i), {});
    const first = r.page(undefined, 5);
    r.remove(first.peers[0]!.peerId, r.get(first.peers[0]!.peerId)!);
    r.add({ ...peer(3), nat: { natted: false, mapping: 'unknown', filtering: 'unknown' } }, r.get(peer(3).peerId)!); // an update, not a new id
    const rest = r.page(first.next, 100);
    assert.equal(rest.next, undefined);
    assert.equal(first.peers.length + rest.peers.length, 10);
    assert.equal(r.page(undefined, 100).peers.length, 9);
  });
});
