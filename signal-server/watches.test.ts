/**
 * Watches driven directly: who hears about a target, the per-connection bound
 * (oldest dropped, refreshed by use), and cleanup when a watcher goes away.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Watches, MAX_WATCHES_PER_CONN } from './watches.js';

describe('presence watches', () => {
  it('tells the watchers of a peer id or a name, each once', () => {
    const w = new Watches<string>();
    w.watch('bob', 'alice');
    w.watch('carol', 'a'.repeat(40));
    w.watch('bob', 'a'.repeat(40));
    assert.deepEqual([...w.watchers(['a'.repeat(40), 'alice'])].sort(), ['bob', 'carol']);
    assert.deepEqual([...w.watchers(['dave'])], []);
  });

  it('holds at most the bound per connection, dropping the least recently used', () => {
    const w = new Watches<string>(3);
    w.watch('bob', 't1');
    w.watch('bob', 't2');
    w.watch('bob', 't3');
    w.watch('bob', 't1'); // refreshed: t2 is now the oldest
    assert.equal(w.watch('bob', 't4'), 't2');
    assert.equal(w.size, 3);
    assert.deepEqual([...w.watchers(['t2'])], []);
    assert.deepEqual([...w.watchers(['t1', 't3', 't4'])], ['bob']);
  });

  it('forgets all of a closed connection\'s watches', () => {
    const w = new Watches<string>();
    for (let i = 0; i < 10; i++) w.watch('bob', `t${i}`);
    w.watch('carol', 't1');
    w.drop('bob');
    assert.equal(w.size, 1);
    assert.deepEqual([...w.watchers(['t1'])], ['carol']);
  });

  it('a hostile client cannot grow it beyond the bound', () => {
    const w = new Watches<string>();
    for (let i = 0; i < MAX_WATCHES_PER_CONN * 3; i++) w.watch('mallory', `name${i}`);
    assert.equal(w.size, MAX_WATCHES_PER_CONN);
  });
});
