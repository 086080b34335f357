import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quarantineFile, readJsonFile, writeFileAtomic } from './atomic-file.js';

describe('atomic JSON files', () => {
  it('names the file in a JSON syntax error (bad-file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-file-'));
    try {
      const path = join(dir, 'known_peers.json');
      writeFileSync(path, '{"alice": ');
      assert.throws(() => readJsonFile(path), (err: Error & { code?: string }) => err.code === 'bad-file' && err.message.startsWith(`${path} is not valid JSON`));
      assert.equal(readJsonFile(join(dir, 'missing.json')), undefined);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('moves a corrupt file aside with a time stamp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2prc-file-'));
    try {
      const path = join(dir, 'x.json');
      writeFileAtomic(path, 'not json');
      const to = quarantineFile(path, new Date('2026-11-30T12:34:56.789Z'));
      assert.equal(to, `${path}.corrupt-20261130T123456Z`);
      assert.deepEqual(readdirSync(dir), ['x.json.corrupt-20261130T123456Z']);
      assert.equal(readFileSync(to!, 'utf8'), 'not json');
      assert.equal(quarantineFile(path), undefined);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
