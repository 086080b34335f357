import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NAMES_FILE, NameBook, describeIdle, releaseNameInFile } from './names.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const DAY = 86_400_000;
const dir = (): string => mkdtempSync(join(tmpdir(), 'p2prc-names-'));

describe('NameBook', () => {
  it('first come first served: another key is refused while the holder is offline, the holder is not', () => {
    const book = new NameBook();
    book.seen('alice', A, 'ka');
    assert.equal(book.conflict('alice', A), undefined);
    assert.equal(book.conflict('alice', B)?.peerId, A);
    assert.equal(book.conflict('bob', B), undefined);
  });

  it('releases a binding after the idle period since the holder was last online, not before', () => {
    let now = 1_000_000;
    const book = new NameBook({ idleMs: 30 * DAY, now: () => now });
    book.seen('alice', A, 'ka');
    now += 30 * DAY - 1;
    assert.equal(book.conflict('alice', B)?.peerId, A);
    now += 1;
    assert.equal(book.conflict('alice', B), undefined);
    assert.equal(book.get('alice'), undefined);
  });

  it('an online holder is never released for idleness', () => {
    let now = 0;
    const book = new NameBook({ idleMs: 10, now: () => now, online: (n, id) => n === 'alice' && id === A });
    book.seen('alice', A, 'ka');
    now = 1000;
    assert.equal(book.conflict('alice', B)?.peerId, A);
  });

  it('is bounded: beyond the cap the longest-idle offline binding goes', () => {
    let now = 0;
    const book = new NameBook({ maxBindings: 2, now: () => now, online: (n) => n === 'old-online' });
    book.seen('old-online', C, 'kc');
    now = 1;
    book.seen('alice', A, 'ka');
    now = 2;
    book.seen('bob', B, 'kb');
    assert.equal(book.size, 2);
    assert.equal(book.get('alice'), undefined, 'the longest idle offline one is evicted');
    assert.ok(book.get('old-online'), 'an online holder is kept');
    assert.ok(book.get('bob'));
  });

  it('persists across restarts in names.json (atomic write, on close)', () => {
    const d = dir();
    const a = new NameBook({ dataDir: d });
    a.seen('alice', A, 'ka');
    a.close();
    const f = JSON.parse(readFileSync(join(d, NAMES_FILE), 'utf8')) as { names: Record<string, { peerId: string }> };
    assert.equal(f.names.alice?.peerId, A);
    const b = new NameBook({ dataDir: d });
    assert.equal(b.conflict('alice', B)?.peerId, A);
    b.close();
    assert.deepEqual(readdirSync(d).filter((n) => n.endsWith('.tmp')), []);
  });

  it('release-name on the file is seen by a running book, even a binding not yet written', () => {
    const d = dir();
    const book = new NameBook({ dataDir: d });
    book.seen('alice', A, 'ka');
    book.flush();
    book.seen('carol', C, 'kc'); // not flushed yet: a file without it must not drop it
    assert.equal(releaseNameInFile(d, 'alice')?.peerId, A);
    assert.equal(book.conflict('alice', B), undefined, 'released');
    assert.equal(book.conflict('carol', B)?.peerId, C, 'kept');
    book.seen('alice', B, 'kb');
    book.close();
    const f = JSON.parse(readFileSync(join(d, NAMES_FILE), 'utf8')) as { names: Record<string, { peerId: string }>; released?: unknown };
    assert.equal(f.names.alice?.peerId, B, 'the new holder, bound after the release, stays');
    assert.equal(f.released, undefined, 'applied releases leave the file');
  });

  it('a corrupt names.json is kept aside and the book starts empty', () => {
    const d = dir();
    writeFileSync(join(d, NAMES_FILE), '{ not json');
    const logs: string[] = [];
    const book = new NameBook({ dataDir: d, log: (m) => logs.push(m) });
    assert.equal(book.size, 0);
    assert.ok(readdirSync(d).some((n) => n.startsWith(`${NAMES_FILE}.corrupt-`)));
    assert.match(logs.join('\n'), /kept aside/);
    book.close();
  });

  it('describes idle periods', () => {
    assert.equal(describeIdle(30 * DAY), '30 days');
    assert.equal(describeIdle(DAY), '1 day');
    assert.equal(describeIdle(7_200_000), '2 hours');
    assert.equal(describeIdle(45_000), '45 s');
  });
});
